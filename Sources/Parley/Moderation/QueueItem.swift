import Foundation

/// One thing a moderator decides: a held message, the reports about one
/// member's messages, or an appeal.
///
/// Reports are grouped: fifty reports about one message, or about five
/// messages of one member, are one item listing every message and reporter.
public struct QueueItem: Sendable, Hashable, Identifiable {
  public enum Kind: String, Sendable, Codable, Hashable, CaseIterable {
    /// A rule held a post or edit.
    case held
    /// Reports about a member's messages led rules to hold them.
    case reported
    /// A member appealed a decision.
    case appeal
  }

  public var kind: Kind
  /// The member the item is about: the author, or the appellant.
  public var member: String?
  /// The messages to approve or remove (none for an appeal).
  public var reviews: [Review]
  /// The appeal to uphold or overturn (nil unless `kind` is `.appeal`).
  public var appeal: AppealRecord?

  /// The message id for a held message, `reports:` and the member for
  /// grouped reports, the appealed decision's id for an appeal.
  public var id: String {
    switch kind {
    case .held: reviews.first?.message ?? ""
    case .reported: "reports:" + (member ?? reviews.first?.message ?? "")
    case .appeal: appeal?.decision ?? ""
    }
  }

  /// When the item joined the queue: its oldest message or the appeal's filing.
  public var since: Date {
    appeal?.filedAt ?? reviews.map(\.heldAt).min() ?? .distantPast
  }

  /// The rules behind it, each once.
  public var rules: [Provenance] {
    ((appeal?.rules ?? []) + reviews.flatMap(\.rules)).uniqued()
  }

  /// The rules' reasons, each once.
  public var reasons: [String] {
    ((appeal?.reasons ?? []) + reviews.flatMap(\.reasons)).uniqued()
  }

  /// Everyone who reported one of its messages, each once.
  public var reporters: [String] { reviews.flatMap(\.reporters).uniqued() }

  /// The community's queue as items, oldest first: each held message on its
  /// own, reported messages grouped by author, each appeal on its own.
  public static func items(reviews: [Review], appeals: [AppealRecord]) -> [QueueItem] {
    var items: [QueueItem] = []
    var reportedByMember: [String: Int] = [:]
    // Stable: reviews held at the same moment keep the store's order.
    let ordered = reviews.enumerated().sorted {
      ($0.element.heldAt, $0.offset) < ($1.element.heldAt, $1.offset)
    }
    for review in ordered.map(\.element) {
      guard review.kind == .reported, let author = review.member else {
        items.append(QueueItem(kind: .held, member: review.member, reviews: [review]))
        continue
      }
      if let index = reportedByMember[author] {
        items[index].reviews.append(review)
      } else {
        reportedByMember[author] = items.count
        items.append(QueueItem(kind: .reported, member: author, reviews: [review]))
      }
    }
    for appeal in appeals where appeal.isPending {
      items.append(QueueItem(kind: .appeal, member: appeal.member, reviews: [], appeal: appeal))
    }
    return items.enumerated().sorted {
      ($0.element.since, $0.offset) < ($1.element.since, $1.offset)
    }.map(\.element)
  }
}

/// Which queue items a moderator wants to see or resolve together; every
/// condition given must hold.
public struct QueueFilter: Sendable, Hashable {
  /// Only items a rule of this plugin is behind.
  public var plugin: String?
  /// Only items this rule is behind: `plugin/rule`, or the rule's id alone.
  public var rule: String?
  /// Only items about this member.
  public var member: String?
  /// Only items waiting at least this long.
  public var olderThan: TimeInterval?
  /// Only these kinds (all kinds when empty).
  public var kinds: Set<QueueItem.Kind>

  public init(
    plugin: String? = nil, rule: String? = nil, member: String? = nil,
    olderThan: TimeInterval? = nil, kinds: Set<QueueItem.Kind> = []
  ) {
    self.plugin = plugin
    self.rule = rule
    self.member = member
    self.olderThan = olderThan
    self.kinds = kinds
  }

  /// True when no condition is set: the filter lets everything through.
  public var isEmpty: Bool {
    plugin == nil && rule == nil && member == nil && olderThan == nil && kinds.isEmpty
  }

  /// Whether the item passes, judged at `now`.
  public func matches(_ item: QueueItem, now: Date) -> Bool {
    if !kinds.isEmpty && !kinds.contains(item.kind) { return false }
    if let member, item.member != member { return false }
    if let olderThan, now.timeIntervalSince(item.since) < olderThan { return false }
    if let plugin, !item.rules.contains(where: { $0.plugin == plugin }) { return false }
    if let rule, !item.rules.contains(where: { $0.name == rule || $0.rule == rule }) {
      return false
    }
    return true
  }
}
