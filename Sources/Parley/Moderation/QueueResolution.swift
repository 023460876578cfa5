/// What a moderator decides about a queue item.
public enum QueueResolution: String, Sendable, Hashable, CaseIterable {
  /// Let a held or reported message through.
  case approve
  /// Remove a held or reported message.
  case remove
  /// Let an appealed decision stand.
  case uphold
  /// Reverse an appealed decision.
  case overturn

  /// Whether this answers items of that kind: messages are approved or
  /// removed, appeals upheld or overturned.
  public func fits(_ kind: QueueItem.Kind) -> Bool {
    switch self {
    case .approve, .remove: kind != .appeal
    case .uphold, .overturn: kind == .appeal
    }
  }
}
