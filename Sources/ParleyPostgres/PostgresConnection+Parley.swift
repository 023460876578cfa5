import Logging
import Parley
import PostgresNIO

extension PostgresConnection {
  /// Runs a statement whose rows nobody reads.
  func run(_ query: PostgresQuery, _ logger: Logger) async throws {
    _ = try await collect(query, logger).get()
  }

  /// Every row of a query.
  func rows(_ query: PostgresQuery, _ logger: Logger) async throws -> [PostgresRow] {
    try await collect(query, logger).get().rows
  }

  /// Every row of a query, waited for on this thread: for the lookups that
  /// answer synchronously (a rule's `state.incr`, an event's context). The
  /// connection's I/O runs on its event loop, never on this thread.
  func rowsNow(_ query: PostgresQuery, _ logger: Logger) throws -> [PostgresRow] {
    try collect(query, logger).wait().rows
  }

  /// How many rows a statement changed, waited for on this thread.
  func changedNow(_ query: PostgresQuery, _ logger: Logger) throws -> Int {
    try collect(query, logger).wait().metadata.rows ?? 0
  }

  private func collect(_ query: PostgresQuery, _ logger: Logger)
    -> EventLoopFuture<PostgresQueryResult>
  {
    self.query(query, logger: logger)
  }

  /// Runs `body` between BEGIN and COMMIT; anything thrown rolls it back.
  func transaction<T>(_ logger: Logger, _ body: () async throws -> T) async throws -> T {
    try await run("BEGIN", logger)
    do {
      let value = try await body()
      try await run("COMMIT", logger)
      return value
    } catch {
      try? await run("ROLLBACK", logger)
      throw error
    }
  }

  /// Runs each statement of a migration.
  func simple(_ migration: String, _ logger: Logger) async throws {
    for statement in PostgresSchema.statements(migration) {
      try await run(PostgresQuery(unsafeSQL: statement), logger)
    }
  }
}

/// Holds the event's key for the rest of its transaction: every host that
/// decides an event of the same thread waits here until this one commits.
struct LockKey: PostgresPreparedStatement {
  static let sql = "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))"
  typealias Row = ()
  var key: String

  func makeBindings() throws -> PostgresBindings {
    var bindings = PostgresBindings(capacity: 1)
    bindings.append(key)
    return bindings
  }

  func decodeRow(_ row: PostgresRow) throws {}
}

extension PSQLError {
  /// A deadlock or serialization failure: the transaction was rolled back
  /// and may simply run again.
  var isTransient: Bool {
    ["40P01", "40001"].contains(serverInfo?[.sqlState] ?? "")
  }
}

extension Error {
  /// What PostgreSQL said, for people: PSQLError's own description hides it.
  var reason: String {
    guard let error = self as? PSQLError else { return "\(self)" }
    if let message = error.serverInfo?[.message] {
      return message + (error.serverInfo?[.detail].map { " (\($0))" } ?? "")
    }
    return "\(error.code)"
  }
}
