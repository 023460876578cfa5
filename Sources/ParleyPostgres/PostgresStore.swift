import Foundation
import Logging
import Parley
import PostgresNIO

/// A store on PostgreSQL that many Parley hosts share.
///
/// ```swift
/// let store = try await PostgresStore.connect(url: "postgres://parley@db/forum")
/// let parley = try await Parley(plugins: plugins, store: store)
/// ```
///
/// PostgreSQL is the coordinator; the hosts never talk to each other:
/// - each event is decided in one transaction that first takes an advisory
///   lock on the event's ``Event/sequenceKey`` (its thread, usually), so
///   events of one thread are decided one at a time across every host, each
///   seeing the ones before it;
/// - plugin state changes inside that transaction with atomic upserts, so
///   counters are exact across hosts and commit with the decision;
/// - a claimed timer is leased, and the commit of its decision deletes it:
///   exactly one decision per timer, even when a host dies holding it;
/// - when ``Parley/handle(_:)`` returns, the decision is committed.
public final class PostgresStore: InspectableStore {
  public let configuration: PostgresConfiguration
  let client: PostgresClient
  let logger: Logger
  private let runner: Task<Void, Never>
  private let state: PostgresPluginState
  public var pluginState: any PluginStateStore { state }

  /// The transaction of the event being decided in this task: context
  /// reads, plugin state and the commit all use its connection.
  @TaskLocal static var event: EventTransaction?

  /// Tells this store's event transactions from another store's, when one
  /// process hosts several.
  let identity = StoreIdentity()

  /// This task's event connection, if this store opened it.
  var eventConnection: PostgresConnection? {
    guard let event = Self.event, event.store === identity else { return nil }
    return event.connection
  }

  private init(
    configuration: PostgresConfiguration, logger: Logger, client: PostgresClient,
    runner: Task<Void, Never>
  ) {
    self.configuration = configuration
    self.logger = logger
    self.client = client
    self.runner = runner
    self.state = PostgresPluginState(
      configuration: configuration.connection, store: identity, logger: logger)
  }

  /// Connects, creates the schema when missing and brings it up to date.
  /// - Throws: ``PostgresStoreError`` when the server cannot be reached or
  ///   the schema cannot be migrated.
  public static func connect(
    _ configuration: PostgresConfiguration, logger: Logger = Logger(label: "parley.postgres")
  ) async throws -> PostgresStore {
    // A lease asked for before `run()` has started only waits for it, but
    // PostgresNIO logs a warning each time: its background log starts at errors.
    var background = logger
    background.logLevel = max(logger.logLevel, .error)
    // The pool retries a server it cannot reach for as long as a lease
    // waits; one connection first turns a wrong URL into an error at once.
    do {
      let probe = try await PostgresConnection.connect(
        configuration: configuration.connection, id: 0, logger: background)
      try await probe.close()
    } catch {
      throw PostgresStoreError.database(
        "connecting to \(configuration.host):\(configuration.port)", error.reason)
    }
    let client = PostgresClient(configuration: configuration.client, backgroundLogger: background)
    let runner = Task { await client.run() }
    let store = PostgresStore(
      configuration: configuration, logger: logger, client: client, runner: runner)
    do {
      try await store.migrate()
    } catch {
      await store.close()
      throw PostgresStoreError.database("migrating schema \(configuration.schema)", error.reason)
    }
    return store
  }

  /// Connects to `postgres://user:password@host:port/database?schema=parley`.
  public static func connect(
    url: String, logger: Logger = Logger(label: "parley.postgres")
  ) async throws -> PostgresStore {
    try await connect(try PostgresConfiguration(url: url), logger: logger)
  }

  /// Closes every connection. Call it before the store goes away.
  public func close() async {
    runner.cancel()
    _ = await runner.value
    state.close()
  }

  /// Drops Parley's schema and everything in it: for tests and teardown.
  public func dropSchema() async throws {
    try await client.withConnection { connection in
      try await connection.run(
        PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(configuration.schema) CASCADE"), logger)
    }
  }

  private func migrate() async throws {
    try await client.withConnection { connection in
      try await connection.transaction(logger) {
        try await connection.run(
          "SELECT pg_advisory_xact_lock(\(PostgresSchema.migrationLock))", logger)
        try await connection.run(
          PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(configuration.schema)"), logger)
        try await connection.run(
          "CREATE TABLE IF NOT EXISTS parley_migration (version integer PRIMARY KEY)", logger)
        let done =
          try await connection.rows(
            "SELECT coalesce(max(version), 0) FROM parley_migration", logger
          ).first?.decode(Int.self) ?? 0
        for (index, sql) in PostgresSchema.migrations.enumerated() where index + 1 > done {
          try await connection.simple(sql, logger)
          try await connection.run(
            "INSERT INTO parley_migration (version) VALUES (\(index + 1))", logger)
        }
      }
    }
  }

  // MARK: Connections

  /// Runs `body` on this task's event connection, or on a pooled one.
  func withConnection<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T)
    async throws
    -> T
  {
    if let connection = eventConnection { return try await body(connection) }
    return try await client.withConnection { connection in try await body(connection) }
  }

  /// Runs `body` in a transaction: the event's, or one of its own.
  func inTransaction<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T)
    async throws
    -> T
  {
    if let connection = eventConnection { return try await body(connection) }
    return try await client.withConnection { connection in
      try await connection.transaction(logger) { try await body(connection) }
    }
  }

  public func deciding<T: Sendable>(key: String, _ body: @Sendable () async throws -> T)
    async throws -> T
  {
    var attempt = 1
    while true {
      do {
        return try await client.withConnection { connection in
          try await connection.transaction(logger) {
            _ = try await connection.execute(LockKey(key: key), logger: logger)
            let event = EventTransaction(store: identity, connection: connection)
            return try await Self.$event.withValue(event) { try await body() }
          }
        }
      } catch let error as PSQLError where error.isTransient && attempt < 5 {
        // A deadlock between two hosts' state upserts: PostgreSQL rolled
        // this one back, so nothing of it was written. Decide it again.
        logger.notice(
          "retrying an event", metadata: ["key": "\(key)", "reason": "\(error.reason)"])
        attempt += 1
      }
    }
  }

  // MARK: Saving

  public func save(_ community: Community) async throws {
    let plugins = try JSON.text(community.plugins)
    let appeals = try JSON.text(community.appeals)
    try await withConnection { connection in
      try await connection.run(
        """
        INSERT INTO community (id, name, plugins, appeals)
        VALUES (\(community.id), \(community.name), \(plugins), \(appeals))
        ON CONFLICT (id) DO UPDATE SET name = excluded.name, plugins = excluded.plugins,
          appeals = excluded.appeals
        """, logger)
    }
  }

  public func save(_ member: Member) async throws {
    try await inTransaction { connection in
      let previous = try await connection.rows(
        "SELECT * FROM member WHERE id = \(member.id) FOR UPDATE", logger
      ).first.map(PostgresRows.member)
      try await connection.run(PostgresRows.upsert(member), logger)
      // Keep the history of consents for the member's export.
      for purpose in Purpose.allCases where previous?.consents[purpose] != member.consents[purpose]
      {
        try await connection.run(
          """
          INSERT INTO consent_history (member, purpose, granted, at)
          VALUES (\(member.id), \(purpose.rawValue), \(member.consents[purpose]), \(Date().seconds))
          """, logger)
      }
    }
  }

  public func save(_ thread: DialogueThread) async throws {
    let query = try PostgresRows.upsert(thread)
    try await withConnection { connection in try await connection.run(query, logger) }
  }

  // MARK: Reading

  public func community(_ id: String) async throws -> Community? {
    try await withConnection { try PostgresRows.community($0, id: id, logger) }
  }

  public func member(_ id: String) async throws -> Member? {
    try await withConnection { try PostgresRows.member($0, id: id, logger) }
  }

  public func thread(_ id: String) async throws -> DialogueThread? {
    try await withConnection { try PostgresRows.thread($0, id: id, logger) }
  }

  public func message(_ id: String) async throws -> Message? {
    try await withConnection { try PostgresRows.message($0, id: id, logger) }
  }

  /// Reads through the same lookups as every store (`EventContext.resolve`),
  /// which answer synchronously. For a post, the event nearly every host
  /// handles most, the rows are fetched first with prepared statements
  /// without blocking a thread; anything else is looked up on the spot.
  public func context(for event: Event, recentMessages: Int) async throws -> EventContext {
    let logger = self.logger
    return try await withConnection { connection in
      let known =
        if case .messagePosted(let message) = event {
          try await PostRows.fetch(message, recent: recentMessages, connection, logger)
        } else {
          PostRows()
        }
      return try EventContext.resolve(
        event, recentMessages: recentMessages,
        community: { id in
          try known.community.flatMap { $0.id == id ? $0 : nil }
            ?? PostgresRows.community(connection, id: id, logger)
        },
        member: { id in
          try known.member.flatMap { $0.id == id ? $0 : nil }
            ?? PostgresRows.member(connection, id: id, logger)
        },
        thread: { id in
          try known.thread.flatMap { $0.id == id ? $0 : nil }
            ?? PostgresRows.thread(connection, id: id, logger)
        },
        message: { try PostgresRows.message(connection, id: $0, logger) },
        recent: { thread, limit in
          if let recent = known.recent, known.thread?.id == thread, limit == recentMessages {
            return recent[...]
          }
          return try PostgresRows.recent(connection, thread: thread, limit: limit, logger)[...]
        },
        decision: { try PostgresRows.decision(connection, id: $0, logger) },
        appeal: { try PostgresRows.appeal(connection, decision: $0, logger) })
    }
  }

  // MARK: Writing

  public func commit(_ changes: Changes) async throws {
    try await inTransaction { connection in
      try await PostgresCommit(connection: connection, logger: logger).write(changes)
    }
  }

  /// Leases the due timers no other host holds, earliest first. A timer
  /// leaves the table when its decision commits; until then it comes back
  /// only once its lease has run out.
  public func claimDueTimers(at date: Date, limit: Int) async throws -> [ScheduledTimer] {
    let lease = configuration.timerLease
    let seconds = Double(lease.components.seconds) + Double(lease.components.attoseconds) / 1e18
    return try await withConnection { connection in
      try await connection.rows(
        """
        UPDATE timer SET leased_until = now() + make_interval(secs => \(seconds))
        WHERE id IN (
          SELECT id FROM timer
          WHERE due <= \(date.seconds) AND (leased_until IS NULL OR leased_until < now())
          ORDER BY due, id LIMIT \(limit) FOR UPDATE SKIP LOCKED)
        RETURNING *
        """, logger
      ).map(PostgresRows.timer).sorted { ($0.due, $0.id) < ($1.due, $1.id) }
    }
  }

  /// The timers not fired yet, earliest first.
  public func pendingTimers() async throws -> [ScheduledTimer] {
    try await withConnection { connection in
      try await connection.rows("SELECT * FROM timer ORDER BY due, id", logger).map(
        PostgresRows.timer)
    }
  }

  // MARK: The audit log and the review queue

  public func decisions(community: String, limit: Int) async throws -> [Decision] {
    try await bodies(
      Decision.self,
      "SELECT body FROM decision WHERE community = \(community) ORDER BY seq DESC LIMIT \(limit)")
  }

  public func history(community: String?, since: Date?) async throws -> [Decision] {
    let from = since?.seconds ?? -Double.greatestFiniteMagnitude
    if let community {
      return try await bodies(
        Decision.self,
        """
        SELECT body FROM decision WHERE community = \(community) AND decided_at >= \(from)
        ORDER BY seq
        """)
    }
    return try await bodies(
      Decision.self, "SELECT body FROM decision WHERE decided_at >= \(from) ORDER BY seq")
  }

  public func decisions(about message: String) async throws -> [Decision] {
    try await bodies(
      Decision.self, "SELECT body FROM decision WHERE message = \(message) ORDER BY seq")
  }

  public func pendingReviews(community: String) async throws -> [Review] {
    try await bodies(
      Review.self,
      "SELECT body FROM review WHERE community = \(community) ORDER BY held_at, seq")
  }

  public func decision(id: String) async throws -> Decision? {
    try await withConnection { try PostgresRows.decision($0, id: id, logger) }
  }

  public func appeal(decision: String) async throws -> AppealRecord? {
    try await withConnection { try PostgresRows.appeal($0, decision: decision, logger) }
  }

  public func pendingAppeals(community: String) async throws -> [AppealRecord] {
    try await bodies(
      AppealRecord.self,
      "SELECT body FROM appeal WHERE community = \(community) AND pending ORDER BY filed_at")
  }

  private func bodies<T: Decodable & Sendable>(_ type: T.Type, _ query: PostgresQuery)
    async throws -> [T]
  {
    try await withConnection { connection in
      try await connection.rows(query, logger).map {
        try JSON.value(T.self, from: try $0.decode(String.self))
      }
    }
  }

  // MARK: Inspecting

  public func communities() async throws -> [Community] {
    try await withConnection { connection in
      try await connection.rows("SELECT * FROM community ORDER BY id", logger).map(
        PostgresRows.community)
    }
  }

  public func members(community: String) async throws -> [Member] {
    try await withConnection { connection in
      try await connection.rows(
        "SELECT * FROM member WHERE community = \(community) ORDER BY id", logger
      ).map(PostgresRows.member)
    }
  }

  public func threads(community: String) async throws -> [DialogueThread] {
    try await withConnection { connection in
      try await connection.rows(
        "SELECT * FROM thread WHERE community = \(community) ORDER BY id", logger
      ).map(PostgresRows.thread)
    }
  }

  public func messages(before date: Date, community: String?) async throws -> [Message] {
    try await withConnection { connection in
      if let community {
        return try await connection.rows(
          """
          SELECT message.* FROM message JOIN thread ON thread.id = message.thread
          WHERE created_at < \(date.seconds) AND thread.community = \(community) ORDER BY seq
          """, logger
        ).map(PostgresRows.message)
      }
      return try await connection.rows(
        "SELECT * FROM message WHERE created_at < \(date.seconds) ORDER BY seq", logger
      ).map(PostgresRows.message)
    }
  }
}

/// An event's transaction, carried by its task.
struct EventTransaction: Sendable {
  var store: StoreIdentity
  var connection: PostgresConnection
}

/// One store's identity: compared by reference.
final class StoreIdentity: Sendable {}
