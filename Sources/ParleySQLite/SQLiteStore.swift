import Foundation
import GRDB
import Parley

/// The embedded default store: one SQLite file, in WAL mode, through GRDB.
///
/// Durable: when ``commit(_:)`` returns (or the engine's `handle` does), the
/// event's decision and changes are on disk, through a power loss. Fast:
/// events committing at the same time share one transaction (group commit),
/// so their fsync is paid once, and is paid while the next transaction is
/// being written; a transaction's log is handed to the file in a few large
/// writes, not two per page (see `LogVFS`); and what contexts read is kept in memory
/// (see `ContextCache`), so the engine's workers decide events back to back
/// without reading the file, each seeing the events before it, while the
/// writer makes them durable behind.
///
/// One host owns a file. Another process (the CLI resolving a review) may
/// write to it: the store notices at its next commit, or within half a
/// second when idle, and reads its rows again.
public final class SQLiteStore: InspectableStore, SynchronousStore {
  let pool: DatabasePool
  /// The database file, from the root: what errors name.
  private let file: String
  private let committer: GroupCommitter
  let cache: ContextCache
  private let state: SQLitePluginState
  public var pluginState: any PluginStateStore { state }

  /// Opens (or creates) the database at `path` and brings its schema up to date.
  /// - Parameter cachedRows: How many rows (members, threads, communities
  ///   and recent messages, each counting one) to keep in memory for event
  ///   contexts before starting again from empty.
  public convenience init(path: String, cachedRows: Int = 250_000) throws {
    try self.init(path: path, cachedRows: cachedRows, trustCacheFor: ContextCache.defaultTrust)
  }

  /// `trustCacheFor`: how long after it last looked the store serves
  /// contexts without asking the file whether another process wrote to it.
  /// `syncLog`: how the group commit makes its transactions durable (tests
  /// pass one that waits or fails).
  init(
    path: String, cachedRows: Int, trustCacheFor: Duration,
    syncLog: @escaping @Sendable (String) throws -> Void = LogSyncer.syncLog
  ) throws {
    // Through the VFS that writes the log in runs (LogVFS).
    let file = LogVFS.absolute(path)
    self.file = file
    let location = LogVFS.location(of: file)
    var configuration = Configuration()
    // Another process (the CLI reading the queue, a host closing) may hold
    // the file for a moment: wait for it rather than fail.
    configuration.busyMode = .timeout(10)
    configuration.prepareDatabase { db in
      try LogVFS.check(db, opened: location, for: file)
      try db.execute(sql: "PRAGMA foreign_keys = OFF")
      // Copy the log back into the file every 10,000 pages (about 40 MB)
      // rather than SQLite's 1,000: a page the log holds many versions of
      // (an index's inner pages, a hot thread's row) is copied once, not
      // ten times. Durable events/s +16-33 % in the benchmark (docs/performance.md).
      try db.execute(sql: "PRAGMA wal_autocheckpoint = 10000")
    }
    let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    pool = try DatabasePool(path: location, configuration: configuration)
    // Sync the log at every commit, so what a call wrote is on disk when it
    // returns, even across a power loss (the group commit leaves its own
    // syncs to a `LogSyncer`). Set here, not in
    // `prepareDatabase`: the pool puts its writer in WAL mode after that
    // runs, and with it `synchronous = NORMAL`, which syncs only when the
    // log is copied back.
    // The writer keeps up to 64 MiB of pages (SQLite's default is 2 MiB):
    // each event updates a member's and a thread's row and inserts into
    // indexes at random places, and a page it has to read back from the
    // OS took a tenth of the writer's time in the benchmark.
    try pool.writeWithoutTransaction { db in
      try db.execute(sql: "PRAGMA synchronous = FULL")
      try db.execute(sql: "PRAGMA cache_size = -65536")
    }
    try Schema.migrator.migrate(pool)
    state = try SQLitePluginState(pool: pool)
    cache = ContextCache(pool: pool, rowLimit: cachedRows, trustFor: trustCacheFor)
    committer = GroupCommitter(
      pool: pool, state: state, cache: cache,
      syncer: LogSyncer(databasePath: file, sync: syncLog))
  }

  /// Runs `body` off Swift's shared concurrency threads: on a cache miss it
  /// waits for the file.
  private func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      DispatchQueue.global().async { continuation.resume(with: Result(catching: body)) }
    }
  }

  // MARK: Saving

  // Each save keeps what it wrote in the cache (with the changes of events
  // still being written laid over it), so the next event of a member or
  // thread the host has just saved reads nothing from the file.

  public func save(_ community: Community) async throws {
    try await saving("community '\(community.id)'") { db, stamp in
      try Rows.save(community, db)
      return { save in self.cache.saved(community, save, stamp) }
    }
  }

  public func save(_ member: Member) async throws {
    try await saving("member '\(member.id)'") { db, stamp in
      let previous = try Rows.member(db, id: member.id)
      // The store answers a member with the changes not yet written laid
      // over the file, so a member read and saved back holds them already.
      // The writer adds them to the file after this save, so the file gets
      // the member without them: it ends with each counted once, as the
      // in-memory store would.
      var stored = member
      self.cache.unwrittenAdditions(to: member.id, stamp).subtract(from: &stored)
      try Rows.save(stored, db)
      // Keep the history of consents for the member's export.
      for purpose in Purpose.allCases where previous?.consents[purpose] != member.consents[purpose]
      {
        try db.execute(
          sql: "INSERT INTO consentHistory (member, purpose, granted, at) VALUES (?, ?, ?, ?)",
          arguments: [member.id, purpose.rawValue, member.consents[purpose], Date().seconds])
      }
      return { save in self.cache.saved(member, save, stamp) }
    }
  }

  public func save(_ thread: DialogueThread) async throws {
    try await saving("thread '\(thread.id)'") { db, stamp in
      try Rows.save(thread, db)
      let hasMessages = try Rows.hasMessages(db, thread: thread.id)
      return { save in self.cache.saved(thread, hasMessages: hasMessages, save, stamp) }
    }
  }

  /// Runs `write` in a transaction of its own, with the save's stamp taken
  /// in that transaction, then tells the cache what it saved through the
  /// closure `write` returns. `what` names the record for an error.
  private func saving(
    _ what: String,
    _ write:
      @escaping @Sendable (Database, ContextCache.Stamp) throws ->
      @Sendable (ContextCache.Save) ->
      Void
  ) async throws {
    let save = cache.beginSave()
    do {
      let tell = try await pool.write { db in try write(db, try self.cache.stamp(db)) }
      tell(save)
    } catch {
      cache.abandon(save)
      throw WriteFailure.describe(error, writing: what, to: file)
    }
  }

  // MARK: Reading

  public func community(_ id: String) async throws -> Community? {
    try await blocking { try self.cache.community(id) }
  }

  public func member(_ id: String) async throws -> Member? {
    try await blocking { try self.memberNow(id) }
  }

  public func thread(_ id: String) async throws -> DialogueThread? {
    try await blocking { try self.cache.thread(id) }
  }

  public func message(_ id: String) async throws -> Message? {
    try await blocking { try self.cache.message(id) }
  }

  public func context(for event: Event, recentMessages: Int) async throws -> EventContext {
    try await blocking { try self.contextNow(for: event, recentMessages: recentMessages) }
  }

  /// The synchronous form: the engine's workers call it on their own threads.
  public func contextNow(for event: Event, recentMessages: Int) throws -> EventContext {
    try checkForOtherWritersIfIdle()
    if case .messagePosted(let message) = event {
      try cache.prefetch(
        thread: message.thread, member: message.author, recentMessages: recentMessages)
    }
    return try EventContext.resolve(
      event, recentMessages: recentMessages,
      community: cache.community, member: cache.member, thread: cache.thread,
      message: cache.message, recent: cache.recent,
      decision: { id in try self.pool.read { try Rows.decision($0, id: id) } },
      appeal: { id in try self.pool.read { try Rows.appeal($0, decision: id) } })
  }

  /// The synchronous form: the engine's workers call it on their own threads.
  public func memberNow(_ id: String) throws -> Member? {
    try cache.member(id)
  }

  /// After a quiet spell no group commit has looked at the file: looks now,
  /// on the writer's connection, for another process's writes.
  private func checkForOtherWritersIfIdle() throws {
    guard cache.needsCheck else { return }
    try pool.writeWithoutTransaction { try cache.checkForOtherWriters($0) }
  }

  // MARK: Writing

  public func commit(_ changes: Changes) async throws {
    try await withCheckedThrowingContinuation { continuation in
      commitNow(changes) { continuation.resume(with: $0) }
    }
  }

  /// True: ``commitNow(_:whenDurable:)`` answers once the group commit
  /// has the changes on disk.
  public var writesBehind: Bool { true }

  /// Lays the changes over the cache at once (the next event reads them)
  /// and calls `durable` once the group commit has them on disk.
  public func commitNow(
    _ changes: Changes, whenDurable durable: @escaping @Sendable (Result<Void, any Error>) -> Void
  ) {
    let encoded: GroupCommitter.Encoded
    do {
      encoded = try GroupCommitter.Encoded(changes)
    } catch {
      return durable(.failure(error))
    }
    cache.apply(changes) { seq in committer.enqueue(encoded, seq: seq, done: durable) }
  }

  /// The blocking form: returns once the changes are durable. It waits on a
  /// semaphore for the group commit, which runs as a task: call it from a
  /// thread of your own, never from Swift's shared concurrency threads
  /// (use ``commit(_:)`` there).
  public func commitNow(_ changes: Changes) throws {
    let outcome = Locked<Result<Void, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    commitNow(changes) { result in
      outcome.withLock { $0 = result }
      done.signal()
    }
    done.wait()
    try outcome.withLock { $0 }!.get()
  }

  public func claimDueTimers(at date: Date, limit: Int) async throws -> [ScheduledTimer] {
    do {
      return try await pool.write { db in
        let timers = try Row.fetchAll(
          db, sql: "SELECT * FROM timer WHERE due <= ? ORDER BY due LIMIT ?",
          arguments: [date.seconds, limit]
        ).map(Rows.timer)
        for timer in timers {
          try db.execute(sql: "DELETE FROM timer WHERE id = ?", arguments: [timer.id])
        }
        return timers
      }
    } catch {
      throw WriteFailure.describe(error, writing: "the claim of due timers", to: file)
    }
  }

  /// The timers not yet due, earliest first.
  public func pendingTimers() async throws -> [ScheduledTimer] {
    try await pool.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM timer ORDER BY due").map(Rows.timer)
    }
  }

  // MARK: The audit log and the review queue

  public func decisions(community: String, limit: Int) async throws -> [Decision] {
    try await pool.read { db in
      try String.fetchAll(
        db, sql: "SELECT body FROM decision WHERE community = ? ORDER BY seq DESC LIMIT ?",
        arguments: [community, limit]
      ).map { try JSON.value(Decision.self, from: $0) }
    }
  }

  /// Every decision of a community in the order they were made, optionally
  /// since a date: the events to replay.
  public func history(community: String?, since: Date?) async throws -> [Decision] {
    try await pool.read { db in
      var sql = "SELECT body FROM decision WHERE decidedAt >= ?"
      var arguments: StatementArguments = [since?.seconds ?? -Double.greatestFiniteMagnitude]
      if let community {
        sql += " AND community = ?"
        arguments += [community]
      }
      return try String.fetchAll(db, sql: sql + " ORDER BY seq", arguments: arguments)
        .map { try JSON.value(Decision.self, from: $0) }
    }
  }

  public func pendingReviews(community: String) async throws -> [Review] {
    try await pool.read { db in
      try Row.fetchAll(
        db, sql: "SELECT * FROM review WHERE community = ? ORDER BY heldAt, rowid",
        arguments: [community]
      )
      .map(Rows.review)
    }
  }

  public func decision(id: String) async throws -> Decision? {
    try await pool.read { try Rows.decision($0, id: id) }
  }

  public func appeal(decision: String) async throws -> AppealRecord? {
    try await pool.read { try Rows.appeal($0, decision: decision) }
  }

  public func pendingAppeals(community: String) async throws -> [AppealRecord] {
    try await pool.read { db in
      try String.fetchAll(
        db, sql: "SELECT body FROM appeal WHERE community = ? AND pending ORDER BY filedAt",
        arguments: [community]
      ).map { try JSON.value(AppealRecord.self, from: $0) }
    }
  }

  /// Every appeal of a community, pending or answered, oldest first.
  public func appeals(community: String) async throws -> [AppealRecord] {
    try await pool.read { db in
      try String.fetchAll(
        db, sql: "SELECT body FROM appeal WHERE community = ? ORDER BY filedAt",
        arguments: [community]
      ).map { try JSON.value(AppealRecord.self, from: $0) }
    }
  }

  /// Every member of a community, by id.
  public func members(community: String) async throws -> [Member] {
    try await pool.read { db in
      try Row.fetchAll(
        db, sql: "SELECT \(Columns.member) FROM member WHERE community = ? ORDER BY id",
        arguments: [community]
      )
      .map(Rows.member)
    }
  }

  /// Every community, by id.
  public func communities() async throws -> [Community] {
    try await pool.read { db in
      try Row.fetchAll(db, sql: "SELECT \(Columns.community) FROM community ORDER BY id").map(
        Rows.community)
    }
  }

  /// Every thread of a community, in id order.
  public func threads(community: String) async throws -> [DialogueThread] {
    try await pool.read { db in
      try Row.fetchAll(
        db, sql: "SELECT \(Columns.thread) FROM thread WHERE community = ? ORDER BY id",
        arguments: [community]
      )
      .map(Rows.thread)
    }
  }

  /// Messages created before a date, in order: the history a replay window starts with.
  public func messages(before date: Date, community: String?) async throws -> [Message] {
    try await pool.read { db in
      var sql =
        "SELECT \(Columns.message) FROM message JOIN thread ON thread.id = message.thread WHERE createdAt < ?"
      var arguments: StatementArguments = [date.seconds]
      if let community {
        sql += " AND thread.community = ?"
        arguments += [community]
      }
      return try Row.fetchAll(db, sql: sql + " ORDER BY seq", arguments: arguments).map(
        Rows.message)
    }
  }
}

extension MemberChange {
  /// Takes the change's additions to the counters back off a member.
  fileprivate func subtract(from member: inout Member) {
    member.history.posts -= history.posts
    member.history.repliesToOthers -= history.repliesToOthers
    member.history.repliesReceived -= history.repliesReceived
    member.history.questionsAsked -= history.questionsAsked
    member.history.questionsAnswered -= history.questionsAnswered
    member.score -= score
  }
}
