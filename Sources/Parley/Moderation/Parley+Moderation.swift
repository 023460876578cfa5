import Foundation

extension Parley {
  /// The community's review queue as a moderator works it, oldest first:
  /// held messages, grouped reports and appeals that pass `filter`.
  public func reviewQueue(community: String, filter: QueueFilter = QueueFilter()) async throws
    -> [QueueItem]
  {
    let items = QueueItem.items(
      reviews: try await store.pendingReviews(community: community),
      appeals: try await store.pendingAppeals(community: community))
    let now = clock.now
    return items.filter { filter.matches($0, now: now) }
  }

  /// Resolves one queue item: every message of a held or reported item is
  /// approved or removed, an appeal upheld or overturned. Each message is
  /// its own event, so the audit log keeps one decision per message.
  /// - Throws: ``ParleyError/resolutionDoesNotFit(_:_:)`` for approving an
  ///   appeal or overturning a message.
  public func resolve(
    _ item: QueueItem, as resolution: QueueResolution, moderator: String, note: String? = nil
  ) async throws -> [Decision] {
    guard resolution.fits(item.kind) else {
      throw ParleyError.resolutionDoesNotFit(item.kind.rawValue, resolution.rawValue)
    }
    if let appeal = item.appeal {
      return [
        try await resolveAppeal(
          decision: appeal.decision, outcome: resolution == .overturn ? .overturned : .upheld,
          moderator: moderator, note: note)
      ]
    }
    var decisions: [Decision] = []
    for review in item.reviews {
      decisions.append(
        try await resolveReview(
          message: review.message, outcome: resolution == .approve ? .approved : .rejected,
          moderator: moderator, note: note))
    }
    return decisions
  }

  /// Resolves every item of the community's queue that passes `filter` and
  /// that `resolution` fits (approving skips appeals; overturning skips
  /// messages), oldest first, and returns the decisions in that order.
  public func resolveAll(
    community: String, filter: QueueFilter, as resolution: QueueResolution, moderator: String,
    note: String? = nil
  ) async throws -> [Decision] {
    var decisions: [Decision] = []
    for item in try await reviewQueue(community: community, filter: filter)
    where resolution.fits(item.kind) {
      decisions += try await resolve(item, as: resolution, moderator: moderator, note: note)
    }
    return decisions
  }
  /// How every rule fares over the audit log from `since` on (all of it
  /// when nil), worst first; see ``RuleHealth/report(history:)``.
  public func ruleHealth(community: String? = nil, since: Date? = nil) async throws
    -> [RuleHealth]
  {
    RuleHealth.report(history: try await store.history(community: community, since: since))
  }
}
