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

  /// A thread and its messages in order, under the thread's one key: a
  /// context reads both, and a commit changes both, with one lookup. A
  /// class, changed only under its shard's lock: a struct stored in a
  /// dictionary is copied whole (a retain for each of the thread's fields)
  /// whenever it is read through a subscript.
  private final class ThreadEntry {
    /// Nil while only messages were stored (a spec's history can come
    /// before its thread).
    var thread: DialogueThread?
    var messages: [Message] = []
  }

  /// What is not kept by key: the decision log, reviews, appeals and
  /// timers, behind one lock (a commit appends to the log once).
  private struct Log {
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

  // Each record is read and written whole under its own lock. A context
  // reads several, one after another: a thread's events run one at a time
  // (see `Event.sequenceKey`), and what another thread's event changes in
  // between (a member's counters) is what it would have read a moment later.
  private let communities = Locked<[String: Community]>([:])
  private let members = LockedShards<Member>()
  private let threads = LockedShards<ThreadEntry>()
  /// Every kept message by id, for edits, reports and replies; the same
  /// messages as the threads' entries hold.
  private let messages = LockedShards<Message>()
  private let log: Locked<Log>
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
    log = Locked(Log(decisionIndex: DecisionIndex(keeping: retention.decisions)))
  }

  public func save(_ community: Community) async throws { try saveNow(community) }

  /// The synchronous form, for the spec runner's single-threaded engine.
  package func saveNow(_ community: Community) throws {
    communities.withLock { $0[community.id] = community }
  }

  public func save(_ member: Member) async throws { try saveNow(member) }

  /// The synchronous form, for the spec runner's single-threaded engine.
  package func saveNow(_ member: Member) throws {
    members.withShard(of: member.id) { $0[member.id] = member }
  }

  public func save(_ thread: DialogueThread) async throws { try saveNow(thread) }

  /// The synchronous form, for the spec runner's single-threaded engine.
  package func saveNow(_ thread: DialogueThread) throws {
    threads.withShard(of: thread.id) { Self.entry(thread.id, in: &$0).thread = thread }
  }

  public func community(_ id: String) async throws -> Community? { try communityNow(id) }

  /// The synchronous form, for the spec runner's single-threaded engine.
  package func communityNow(_ id: String) throws -> Community? {
    communities.withLock { $0[id] }
  }

  public func member(_ id: String) async throws -> Member? { memberNow(id) }

  /// The synchronous form: the engine's workers call it on their own threads.
  public func memberNow(_ id: String) -> Member? { members[id] }

  public func thread(_ id: String) async throws -> DialogueThread? { try threadNow(id) }

  /// The synchronous form, for the spec runner's single-threaded engine.
  package func threadNow(_ id: String) throws -> DialogueThread? {
    threads.withShard(of: id) { $0[id]?.thread }
  }

  public func message(_ id: String) async throws -> Message? { messageNow(id) }

  /// The synchronous form, for the spec runner's single-threaded engine.
  package func messageNow(_ id: String) -> Message? { messages[id] }

  public func context(for event: Event, recentMessages: Int) async throws -> EventContext {
    try contextNow(for: event, recentMessages: recentMessages)
  }

  /// The synchronous form: the engine's workers call it on their own threads.
  public func contextNow(for event: Event, recentMessages: Int) throws -> EventContext {
    // A thread's latest messages are taken with the thread, in the same
    // lookup, and handed over when `resolve` asks for them.
    var recentOfThread: (thread: String, messages: ArraySlice<Message>)?
    return try EventContext.resolve(
      event, recentMessages: recentMessages,
      community: { id in communities.withLock { $0[id] } },
      member: { id in members[id] },
      thread: { id in
        threads.withShard(of: id) { shard in
          guard let entry = shard[id] else { return nil }
          recentOfThread = (id, entry.messages.suffix(recentMessages))
          return entry.thread
        }
      },
      message: { id in messages[id] },
      recent: { id, limit in
        if let taken = recentOfThread, limit == recentMessages, taken.thread == id {
          return taken.messages
        }
        return threads.withShard(of: id) { ($0[id]?.messages ?? []).suffix(limit) }
      },
      decision: { id in log.withLock { $0.decision(id) } },
      appeal: { id in log.withLock { $0.appeals[id] } })
  }

  /// Stores a message as history, without running any rule (spec scenarios).
  package func insertNow(_ message: Message) throws {
    keep(message)
  }

  /// Saves a message, new or edited, by id and in its thread, and forgets
  /// the thread's oldest beyond the retention. `changes` (the event's
  /// changes to the same thread) are applied under the same lock as the
  /// message, so a context read in between sees both or neither.
  private func keep(_ message: Message, changing changes: some Sequence<ThreadChange> = []) {
    let isNew = messages.withShard(of: message.id) {
      $0.updateValue(message, forKey: message.id) == nil
    }
    let forgotten = threads.withShard(of: message.thread) { shard in
      let entry = Self.entry(message.thread, in: &shard)
      if isNew {
        entry.messages.append(message)
      } else if let i = entry.messages.lastIndex(where: { $0.id == message.id }) {
        entry.messages[i] = message
      }
      for change in changes { change.apply(to: &entry.thread) }
      return forgetOldMessages(of: entry)
    }
    for id in forgotten { messages.withShard(of: id) { $0[id] = nil } }
  }

  /// The thread's entry, made empty if it has none yet.
  private static func entry(_ thread: String, in shard: inout [String: ThreadEntry]) -> ThreadEntry
  {
    if let entry = shard[thread] { return entry }
    let entry = ThreadEntry()
    shard[thread] = entry
    return entry
  }

  /// Takes a thread's oldest messages out of its entry once it holds twice
  /// the retention (trimming in bulk keeps appends cheap), and returns
  /// their ids.
  private func forgetOldMessages(of entry: ThreadEntry) -> [String] {
    let count = entry.messages.count
    guard count - retention.messagesPerThread > retention.messagesPerThread else { return [] }
    let forgotten = count - retention.messagesPerThread
    let ids = entry.messages[..<forgotten].map(\.id)
    entry.messages.removeFirst(forgotten)
    return ids
  }

  public func commit(_ changes: Changes) async throws { try commitNow(changes) }

  /// The synchronous form: the engine's workers call it on their own threads.
  public func commitNow(_ changes: Changes) throws {
    // A message's thread changes (its author joining the thread, a tag)
    // are applied with the message, in one visit to the thread's shard.
    // Applying a change twice (two messages in one thread) changes nothing.
    for message in changes.messages {
      keep(message, changing: changes.threads.lazy.filter { $0.thread == message.thread })
    }
    for change in changes.threads
    where !changes.messages.contains(where: { $0.thread == change.thread }) {
      threads.withShard(of: change.thread) { shard in
        if let entry = shard[change.thread] { change.apply(to: &entry.thread) }
      }
    }
    // Changed where they are stored: through the key's subscript a record
    // is moved out into an optional and back.
    for change in changes.members {
      members.withShard(of: change.member) { shard in
        if let i = shard.index(forKey: change.member) { change.apply(to: &shard.values[i]) }
      }
    }
    // What the log pushes out is freed after the lock is let go: work no
    // other worker need wait for.
    let forgotten: Decision? = log.withLock { log in
      log.timers.append(contentsOf: changes.timers)
      for review in changes.reviewsOpened {
        if let open = log.reviews[review.message] {
          log.reviews[review.message] = open.merged(with: review)
        } else {
          log.reviews[review.message] = review
          log.reviewsOpened += 1
          log.reviewOrder[review.message] = log.reviewsOpened
        }
      }
      for message in changes.reviewsClosed {
        log.reviews[message] = nil
        log.reviewOrder[message] = nil
      }
      log.decisions.append(changes.decision)
      for appeal in changes.appeals { log.appeals[appeal.decision] = appeal }
      // One out for each one in past the bound: forgetting in bulk would
      // stall every event queued behind this one.
      var forgotten: Decision?
      while log.decisions.count > retention.decisions {
        forgotten = log.decisions.removeFirst()
        log.decisionsTrimmed += 1
      }
      if log.reviews.count - retention.pendingReviews > retention.pendingReviews {
        let oldest = log.reviews.values.sorted { $0.heldAt < $1.heldAt }
          .prefix(log.reviews.count - retention.pendingReviews)
        for review in oldest {
          log.reviews[review.message] = nil
          log.reviewOrder[review.message] = nil
        }
      }
      return forgotten
    }
    withExtendedLifetime(forgotten) {}
  }

  /// The decisions it still keeps (see ``Retention/decisions``), oldest first.
  public func history(community: String?, since: Date?) async throws -> [Decision] {
    log.withLock { log in
      log.decisions.filter { decision in
        (community == nil || decision.community == community)
          && (since.map { decision.decidedAt >= $0 } ?? true)
      }
    }
  }

  public func decision(id: String) async throws -> Decision? { decisionNow(id: id) }

  /// The synchronous form, for the spec runner's single-threaded engine.
  package func decisionNow(id: String) -> Decision? {
    log.withLock { $0.decision(id) }
  }

  public func appeal(decision: String) async throws -> AppealRecord? {
    appealNow(decision: decision)
  }

  /// The synchronous form, for the spec runner's single-threaded engine.
  package func appealNow(decision: String) -> AppealRecord? {
    log.withLock { $0.appeals[decision] }
  }

  public func pendingAppeals(community: String) async throws -> [AppealRecord] {
    log.withLock { log in
      log.appeals.values.filter { $0.community == community && $0.isPending }
        .sorted { $0.filedAt < $1.filedAt }
    }
  }

  public func claimDueTimers(at date: Date, limit: Int) async throws -> [ScheduledTimer] {
    try claimDueTimersNow(at: date, limit: limit)
  }

  /// The synchronous form, for the spec runner's single-threaded engine.
  package func claimDueTimersNow(at date: Date, limit: Int) throws -> [ScheduledTimer] {
    log.withLock { log in
      let due = log.timers.filter { $0.due <= date }.sorted { $0.due < $1.due }.prefix(limit)
      let claimed = Set(due.map(\.id))
      log.timers.removeAll { claimed.contains($0.id) }
      return Array(due)
    }
  }

  public func decisions(community: String, limit: Int) async throws -> [Decision] {
    try decisionsNow(community: community, limit: limit)
  }

  /// The synchronous form, for the spec runner's single-threaded engine.
  package func decisionsNow(community: String, limit: Int) throws -> [Decision] {
    log.withLock {
      Array($0.decisions.lazy.filter { $0.community == community }.reversed().prefix(limit))
    }
  }

  public func pendingReviews(community: String) async throws -> [Review] {
    try pendingReviewsNow(community: community)
  }

  /// The synchronous form, for the spec runner's single-threaded engine.
  package func pendingReviewsNow(community: String) throws -> [Review] {
    log.withLock { log in
      log.reviews.values.filter { $0.community == community }.sorted {
        ($0.heldAt, log.reviewOrder[$0.message] ?? 0)
          < ($1.heldAt, log.reviewOrder[$1.message] ?? 0)
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
