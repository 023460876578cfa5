import Foundation
import GRDB
import Parley

/// The embedded default store: one SQLite file, in WAL mode, through GRDB.
///
/// Durable: when ``commit(_:)`` returns, the event's decision and changes are
/// on disk (`synchronous = FULL`). Fast: events committing at the same time
/// share one transaction (group commit), so their fsync is paid once.
public final class SQLiteStore: InspectableStore {
  let pool: DatabasePool
  private let committer: GroupCommitter
  private let state: SQLitePluginState
  public var pluginState: any PluginStateStore { state }

  /// Opens (or creates) the database at `path` and brings its schema up to date.
  public init(path: String) throws {
    var configuration = Configuration()
    // Another process (the CLI reading the queue, a host closing) may hold
    // the file for a moment: wait for it rather than fail.
    configuration.busyMode = .timeout(10)
    configuration.prepareDatabase { db in
      try db.execute(sql: "PRAGMA synchronous = FULL")
      try db.execute(sql: "PRAGMA foreign_keys = OFF")
    }
    let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    pool = try DatabasePool(path: path, configuration: configuration)
    try Schema.migrator.migrate(pool)
    state = try SQLitePluginState(pool: pool)
    committer = GroupCommitter(pool: pool, state: state)
  }

  // MARK: Saving

  public func save(_ community: Community) async throws {
    try await pool.write { try Rows.save(community, $0) }
  }

  public func save(_ member: Member) async throws {
    try await pool.write { db in
      let previous = try Rows.member(db, id: member.id)
      try Rows.save(member, db)
      // Keep the history of consents for the member's export.
      for purpose in Purpose.allCases where previous?.consents[purpose] != member.consents[purpose]
      {
        try db.execute(
          sql: "INSERT INTO consentHistory (member, purpose, granted, at) VALUES (?, ?, ?, ?)",
          arguments: [member.id, purpose.rawValue, member.consents[purpose], Date().seconds])
      }
    }
  }

  public func save(_ thread: DialogueThread) async throws {
    try await pool.write { try Rows.save(thread, $0) }
  }

  // MARK: Reading

  public func community(_ id: String) async throws -> Community? {
    try await pool.read { try Rows.community($0, id: id) }
  }

  public func member(_ id: String) async throws -> Member? {
    try await pool.read { try Rows.member($0, id: id) }
  }

  public func thread(_ id: String) async throws -> DialogueThread? {
    try await pool.read { try Rows.thread($0, id: id) }
  }

  public func message(_ id: String) async throws -> Message? {
    try await pool.read { try Rows.message($0, id: id) }
  }

  public func context(for event: Event, recentMessages: Int) async throws -> EventContext {
    try await pool.read { db in
      try EventContext.resolve(
        event, recentMessages: recentMessages,
        community: { try Rows.community(db, id: $0) }, member: { try Rows.member(db, id: $0) },
        thread: { try Rows.thread(db, id: $0) }, message: { try Rows.message(db, id: $0) },
        recent: { try Rows.recentMessages(db, thread: $0, limit: $1)[...] },
        decision: { try Rows.decision(db, id: $0) },
        appeal: { try Rows.appeal(db, decision: $0) })
    }
  }

  // MARK: Writing

  public func commit(_ changes: Changes) async throws {
    try await committer.commit(changes)
  }

  public func claimDueTimers(at date: Date, limit: Int) async throws -> [ScheduledTimer] {
    try await pool.write { db in
      let timers = try Row.fetchAll(
        db, sql: "SELECT * FROM timer WHERE due <= ? ORDER BY due LIMIT ?",
        arguments: [date.seconds, limit]
      ).map(Rows.timer)
      for timer in timers {
        try db.execute(sql: "DELETE FROM timer WHERE id = ?", arguments: [timer.id])
      }
      return timers
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
