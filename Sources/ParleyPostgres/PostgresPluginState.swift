import Foundation
import Logging
import Parley
import PostgresNIO

/// Plugin state in PostgreSQL, changed by atomic statements so counters are
/// exact however many hosts count.
///
/// Rules call `state.get/incr` synchronously, inside their Lua call, so
/// these answer synchronously: during an event they run on the event's
/// connection, inside its transaction (a counter's row stays locked until
/// the decision commits, and is rolled back with it); outside an event on a
/// connection of their own.
final class PostgresPluginState: PluginStateStore {
  private let configuration: PostgresConnection.Configuration
  private let logger: Logger
  private let idle = Locked<[PostgresConnection]>([])
  private let nextID = Locked(0)

  /// Answers wait on the database, and on rows other hosts' events hold.
  var blocks: Bool { true }

  private let store: StoreIdentity

  init(configuration: PostgresConnection.Configuration, store: StoreIdentity, logger: Logger) {
    self.configuration = configuration
    self.store = store
    self.logger = logger
  }

  func value(_ key: StateKey, at now: Date) throws -> TimerValue? {
    try withConnection { connection in
      try connection.rowsNow(
        """
        SELECT integer, number, value FROM plugin_state
        WHERE community = \(key.community) AND plugin = \(key.plugin) AND key = \(key.key)
          AND (expires IS NULL OR expires > \(now.seconds))
        """, logger
      ).first.map { row in
        let (integer, number, value) = try row.decode((Int64?, Double?, String?).self)
        if let integer { return .integer(integer) }
        if let number { return .number(number) }
        return try JSON.value(TimerValue.self, from: value ?? "null")
      }
    }
  }

  func set(_ key: StateKey, to value: TimerValue?, expires: Date?) throws {
    try withConnection { connection in
      guard let value else {
        _ = try connection.changedNow(
          """
          DELETE FROM plugin_state
          WHERE community = \(key.community) AND plugin = \(key.plugin) AND key = \(key.key)
          """, logger)
        return
      }
      var integer: Int64?
      var number: Double?
      var other: String?
      switch value {
      case .integer(let value): integer = value
      case .number(let value): number = value
      case .string, .boolean: other = try JSON.text(value)
      }
      _ = try connection.changedNow(
        """
        INSERT INTO plugin_state (community, plugin, key, integer, number, value, expires)
        VALUES (\(key.community), \(key.plugin), \(key.key), \(integer), \(number), \(other),
          \(expires?.seconds))
        ON CONFLICT (community, plugin, key) DO UPDATE SET integer = excluded.integer,
          number = excluded.number, value = excluded.value, expires = excluded.expires
        """, logger)
    }
  }

  /// One statement: the database adds, so two hosts counting at once both count.
  func increment(_ key: StateKey, by: Int64, expires: Date?, at now: Date) throws -> Int64 {
    try withConnection { connection in
      let rows = try connection.rowsNow(
        """
        INSERT INTO plugin_state AS s (community, plugin, key, integer, expires)
        VALUES (\(key.community), \(key.plugin), \(key.key), \(by), \(expires?.seconds))
        ON CONFLICT (community, plugin, key) DO UPDATE SET
          integer = CASE WHEN s.expires <= \(now.seconds) THEN excluded.integer
            ELSE coalesce(s.integer, trunc(s.number)::bigint, 0) + excluded.integer END,
          expires = CASE WHEN s.expires <= \(now.seconds) THEN excluded.expires ELSE s.expires END,
          number = NULL, value = NULL
        RETURNING integer
        """, logger)
      return try rows.first?.decode(Int64.self) ?? by
    }
  }

  // MARK: Connections

  private func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
    if let event = PostgresStore.event, event.store === store { return try body(event.connection) }
    let connection = try idle.withLock { $0.popLast() } ?? connect()
    do {
      let value = try body(connection)
      idle.withLock { $0.append(connection) }
      return value
    } catch {
      // A connection that failed mid-statement is not reused.
      try? connection.close().wait()
      throw error
    }
  }

  private func connect() throws -> PostgresConnection {
    let id = nextID.withLock { id in
      id += 1
      return id
    }
    return try PostgresConnection.connect(
      on: PostgresConnection.defaultEventLoopGroup.any(), configuration: configuration, id: id,
      logger: logger
    ).wait()
  }

  /// Closes the connections used outside events.
  func close() {
    for connection in idle.withLock({ idle in
      defer { idle.removeAll() }
      return idle
    }) {
      try? connection.close().wait()
    }
  }
}
