import DequeModule
import Foundation

/// A store in memory: for tests, simulations and small hosts.
///
/// It keeps everything unless given a ``Retention``; the SQLite store keeps
/// everything on disk.
public final class InMemoryStore: SynchronousStore {
  /// How much history the store keeps in memory. Beyond these bounds it
  /// forgets the oldest first, so a long-running host or a load test holds
  /// steady memory. Rules see at most `Parley.Configuration.recentMessages`
  /// of a thread anyway.
  public struct Retention: Sendable {
    /// Messages kept per thread (for replies, edits and `ctx.thread.messages`).
    public var messagesPerThread: Int
    /// Decisions kept in the log.
    public var decisions: Int
    /// Pending reviews kept; the oldest unresolved are dropped first.
    public var pendingReviews: Int

    public init(messagesPerThread: Int = 100, decisions: Int = 10_000, pendingReviews: Int = 10_000)
    {
      self.messagesPerThread = max(1, messagesPerThread)
      self.decisions = max(1, decisions)
      self.pendingReviews = max(1, pendingReviews)
    }

    /// Keep everything.
    public static let everything = Retention(
      messagesPerThread: .max, decisions: .max, pendingReviews: .max)
  }

  private struct Tables {
    var communities: [String: Community] = [:]
    var members: [String: Member] = [:]
    var threads: [String: DialogueThread] = [:]
    var messages = ShardedDictionary<String, Message>()
    /// Each thread's messages in order, kept beside `messages` so a context
    /// reads a thread's latest without a lookup per message.
    var threadMessages: [String: [Message]] = [:]
    var timers: [ScheduledTimer] = []
    var decisions = Deque<Decision>()
    /// Positions in `decisions` by id (counted from the first decision ever
    /// kept), for appeals.
    var decisionIndex: DecisionIndex
    var decisionsTrimmed = 0
    var appeals: [String: AppealRecord] = [:]
    var reviews: [String: Review] = [:]
    /// When each open review was first opened, counted: ties in `heldAt`
    /// list in the order they were opened, as a database would.
    var reviewOrder: [String: Int] = [:]
    var reviewsOpened = 0

    /// A decision the log still keeps.
    mutating func decision(_ id: String) -> Decision? {
      guard
        let index = decisionIndex.position(of: id, in: decisions, trimmed: decisionsTrimmed)
      else { return nil }
      return decisions[index]
    }
  }

  private let tables: Locked<Tables>
  private let retention: Retention
  public let pluginState: any PluginStateStore

  /// - Parameters:
  ///   - retention: How much history to keep; everything by default.
  ///   - pluginState: Where plugins' `state` lives; in memory by default.
  public init(
    retention: Retention = .everything, pluginState: any PluginStateStore = InMemoryPluginState()
  ) {
    self.retention = retention
    self.pluginState = pluginState
    tables = Locked(Tables(decisionIndex: DecisionIndex(keeping: retention.decisions)))
  }

  public func save(_ community: Community) async throws { try saveNow(community) }

  /// The synchronous form, for the spec runner's single-threaded engine.
  package func saveNow(_ community: Community) throws {
    tables.withLock { $0.communities[community.id] = community }
  }

  public func save(_ member: Member) async throws { try saveNow(member) }

  /// The synchronous form, for the spec runner's single-threaded engine.
  package func saveNow(_ member: Member) throws {
    tables.withLock { $0.members[member.id] = member }
  }

  public func save(_ thread: DialogueThread) async throws { try saveNow(thread) }

  /// The synchronous form, for the spec runner's single-threaded engine.
  package func saveNow(_ thread: DialogueThread) throws {
    tables.withLock { $0.threads[thread.id] = thread }
  }

  public func community(_ id: String) async throws -> Community? { try communityNow(id) }

  /// The synchronous form, for the spec runner's single-threaded engine.
  package func communityNow(_ id: String) throws -> Community? {
    tables.withLock { $0.communities[id] }
  }

  public func member(_ id: String) async throws -> Member? { memberNow(id) }

  /// The synchronous form: the engine's workers call it on their own threads.
  public func memberNow(_ id: String) -> Member? { tables.withLock { $0.members[id] } }

  public func thread(_ id: String) async throws -> DialogueThread? { try threadNow(id) }

  /// The synchronous form, for the spec runner's single-threaded engine.
  package func threadNow(_ id: String) throws -> DialogueThread? {
    tables.withLock { $0.threads[id] }
  }

  public func message(_ id: String) async throws -> Message? { messageNow(id) }

  /// The synchronous form, for the spec runner's single-threaded engine.
  package func messageNow(_ id: String) -> Message? { tables.withLock { $0.messages[id] } }

  public func context(for event: Event, recentMessages: Int) async throws -> EventContext {
    try contextNow(for: event, recentMessages: recentMessages)
  }

  /// The synchronous form: the engine's workers call it on their own threads.
  public func contextNow(for event: Event, recentMessages: Int) throws -> EventContext {
    try tables.withLock { tables in
      try EventContext.resolve(
        event, recentMessages: recentMessages,
        community: { tables.communities[$0] }, member: { tables.members[$0] },
        thread: { tables.threads[$0] }, message: { tables.messages[$0] },
        recent: { thread, limit in (tables.threadMessages[thread] ?? []).suffix(limit) },
        decision: { tables.decision($0) },
        appeal: { tables.appeals[$0] })
    }
  }

  /// Stores a message as history, without running any rule (spec scenarios).
  package func insertNow(_ message: Message) throws {
    tables.withLock { tables in
      Self.keep(message, in: &tables)
    }
  }

  /// Saves a message, new or edited, in both tables.
  private static func keep(_ message: Message, in tables: inout Tables) {
    if tables.messages.updateValue(message, forKey: message.id) == nil {
      tables.threadMessages[message.thread, default: []].append(message)
    } else if let i = tables.threadMessages[message.thread]?.lastIndex(where: {
      $0.id == message.id
    }) {
      tables.threadMessages[message.thread]![i] = message
    }
  }

  public func commit(_ changes: Changes) async throws { try commitNow(changes) }

  /// The synchronous form: the engine's workers call it on their own threads.
  public func commitNow(_ changes: Changes) throws {
    // What the log pushes out is freed after the lock is let go: work no
    // other worker need wait for.
    let forgotten: Decision? = tables.withLock { tables in
      for message in changes.messages {
        Self.keep(message, in: &tables)
        forgetOldMessages(of: message.thread, in: &tables)
      }
      // Changed where they are stored: through the key's subscript a member
      // is moved out into an optional and back.
      for change in changes.members {
        if let i = tables.members.index(forKey: change.member) {
          change.apply(to: &tables.members.values[i])
        }
      }
      for change in changes.threads {
        if let i = tables.threads.index(forKey: change.thread) {
          change.apply(to: &tables.threads.values[i])
        }
      }
      tables.timers.append(contentsOf: changes.timers)
      for review in changes.reviewsOpened {
        if let open = tables.reviews[review.message] {
          tables.reviews[review.message] = open.merged(with: review)
        } else {
          tables.reviews[review.message] = review
          tables.reviewsOpened += 1
          tables.reviewOrder[review.message] = tables.reviewsOpened
        }
      }
      for message in changes.reviewsClosed {
        tables.reviews[message] = nil
        tables.reviewOrder[message] = nil
      }
      tables.decisions.append(changes.decision)
      for appeal in changes.appeals { tables.appeals[appeal.decision] = appeal }
      // One out for each one in past the bound: forgetting in bulk would
      // stall every event queued behind this one.
      var forgotten: Decision?
      while tables.decisions.count > retention.decisions {
        forgotten = tables.decisions.removeFirst()
        tables.decisionsTrimmed += 1
      }
      if tables.reviews.count - retention.pendingReviews > retention.pendingReviews {
        let oldest = tables.reviews.values.sorted { $0.heldAt < $1.heldAt }
          .prefix(tables.reviews.count - retention.pendingReviews)
        for review in oldest {
          tables.reviews[review.message] = nil
          tables.reviewOrder[review.message] = nil
        }
      }
      return forgotten
    }
    withExtendedLifetime(forgotten) {}
  }

  private func forgetOldMessages(of thread: String, in tables: inout Tables) {
    // Counted and trimmed in place: binding the array would copy it.
    guard let count = tables.threadMessages[thread]?.count,
      count - retention.messagesPerThread > retention.messagesPerThread
    else { return }
    let forgotten = count - retention.messagesPerThread
    for i in 0..<forgotten { tables.messages[tables.threadMessages[thread]![i].id] = nil }
    tables.threadMessages[thread]!.removeFirst(forgotten)
  }

  /// The decisions it still keeps (see ``Retention/decisions``), oldest first.
  public func history(community: String?, since: Date?) async throws -> [Decision] {
    tables.withLock { tables in
      tables.decisions.filter { decision in
        (community == nil || decision.community == community)
          && (since.map { decision.decidedAt >= $0 } ?? true)
      }
    }
  }

  public func decision(id: String) async throws -> Decision? { decisionNow(id: id) }

  /// The synchronous form, for the spec runner's single-threaded engine.
  package func decisionNow(id: String) -> Decision? {
    tables.withLock { $0.decision(id) }
  }

  public func appeal(decision: String) async throws -> AppealRecord? {
    appealNow(decision: decision)
  }

  /// The synchronous form, for the spec runner's single-threaded engine.
  package func appealNow(decision: String) -> AppealRecord? {
    tables.withLock { $0.appeals[decision] }
  }

  public func pendingAppeals(community: String) async throws -> [AppealRecord] {
    tables.withLock { tables in
      tables.appeals.values.filter { $0.community == community && $0.isPending }
        .sorted { $0.filedAt < $1.filedAt }
    }
  }

  public func claimDueTimers(at date: Date, limit: Int) async throws -> [ScheduledTimer] {
    try claimDueTimersNow(at: date, limit: limit)
  }

  /// The synchronous form, for the spec runner's single-threaded engine.
  package func claimDueTimersNow(at date: Date, limit: Int) throws -> [ScheduledTimer] {
    tables.withLock { tables in
      let due = tables.timers.filter { $0.due <= date }.sorted { $0.due < $1.due }.prefix(limit)
      let claimed = Set(due.map(\.id))
      tables.timers.removeAll { claimed.contains($0.id) }
      return Array(due)
    }
  }

  public func decisions(community: String, limit: Int) async throws -> [Decision] {
    try decisionsNow(community: community, limit: limit)
  }

  /// The synchronous form, for the spec runner's single-threaded engine.
  package func decisionsNow(community: String, limit: Int) throws -> [Decision] {
    tables.withLock {
      Array($0.decisions.lazy.filter { $0.community == community }.reversed().prefix(limit))
    }
  }

  public func pendingReviews(community: String) async throws -> [Review] {
    try pendingReviewsNow(community: community)
  }

  /// The synchronous form, for the spec runner's single-threaded engine.
  package func pendingReviewsNow(community: String) throws -> [Review] {
    tables.withLock { tables in
      tables.reviews.values.filter { $0.community == community }.sorted {
        ($0.heldAt, tables.reviewOrder[$0.message] ?? 0)
          < ($1.heldAt, tables.reviewOrder[$1.message] ?? 0)
      }
    }
  }
}

/// Plugin state in memory, safe to share between workers.
public final class InMemoryPluginState: PluginStateStore {
  private struct Entry {
    var value: TimerValue
    var expires: Date?
  }

  private let entries = Locked(Entries())

  private struct Entries {
    var values: [StateKey: Entry] = [:]
    var writesSinceSweep = 0
    /// The latest rule time seen (`set` is not told the time).
    var now = Date.distantPast

    /// Drops expired entries every few thousand writes, so keys that are
    /// written once and never read again (fingerprints, rate windows) do
    /// not pile up.
    mutating func sweepIfDue() {
      writesSinceSweep += 1
      guard writesSinceSweep >= 4096 else { return }
      writesSinceSweep = 0
      values = values.filter { $0.value.expires.map { $0 > now } ?? true }
    }
  }

  public init() {}

  public func value(_ key: StateKey, at now: Date) throws -> TimerValue? {
    entries.withLock { entries in
      entries.now = max(entries.now, now)
      guard let entry = entries.values[key] else { return nil }
      if let expires = entry.expires, expires <= now {
        entries.values[key] = nil
        return nil
      }
      return entry.value
    }
  }

  public func set(_ key: StateKey, to value: TimerValue?, expires: Date?) throws {
    entries.withLock { entries in
      entries.values[key] = value.map { Entry(value: $0, expires: expires) }
      entries.sweepIfDue()
    }
  }

  public func increment(_ key: StateKey, by: Int64, expires: Date?, at now: Date) throws -> Int64 {
    entries.withLock { entries in
      var entry = entries.values[key]
      if let current = entry, let end = current.expires, end <= now { entry = nil }
      let old: Int64 =
        switch entry?.value {
        case .integer(let value): value
        case .number(let value): Int64(exactly: value.rounded(.towardZero)) ?? 0
        default: 0
        }
      let new = old &+ by
      entries.values[key] = Entry(value: .integer(new), expires: entry?.expires ?? expires)
      entries.now = max(entries.now, now)
      entries.sweepIfDue()
      return new
    }
  }
}
