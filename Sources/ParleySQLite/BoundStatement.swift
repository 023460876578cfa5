import GRDB
import GRDBSQLite

/// Runs one of the writer's prepared statements straight through SQLite's
/// C API: binding each value by type, with no `StatementArguments` (an
/// array of existentials, each boxed, copied and released) in between.
/// The group commit runs four or five statements per event, and GRDB's
/// binding cost about as much as SQLite's own work on them.
///
/// Only for statements no one else runs through GRDB: it steps and resets
/// the statement itself.
struct BoundStatement {
  private let statement: OpaquePointer
  private let db: Database
  private var index: Int32 = 0

  /// The connection's cached statement for `sql`.
  init(_ db: Database, sql: String) throws {
    self.db = db
    statement = try db.cachedStatement(sql: sql).sqliteStatement
  }

  // SQLite copies what it is given: Swift's buffers live only as long as the call.
  private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

  mutating func bind(_ value: String) {
    index += 1
    var value = value
    value.withUTF8 { bytes in
      bytes.withMemoryRebound(to: CChar.self) { text in
        // An empty buffer may have no address, which SQLite would take for NULL.
        if let start = text.baseAddress {
          _ = sqlite3_bind_text(statement, index, start, Int32(text.count), Self.transient)
        } else {
          _ = sqlite3_bind_text(statement, index, "", 0, Self.transient)
        }
      }
    }
  }

  mutating func bind(_ value: String?) {
    guard let value else { return bindNull() }
    bind(value)
  }

  mutating func bind(_ value: Int) {
    index += 1
    sqlite3_bind_int64(statement, index, Int64(value))
  }

  mutating func bind(_ value: Bool) { bind(value ? 1 : 0) }

  mutating func bind(_ value: Double) {
    index += 1
    sqlite3_bind_double(statement, index, value)
  }

  mutating func bind(_ value: Double?) {
    guard let value else { return bindNull() }
    bind(value)
  }

  mutating func bindNull() {
    index += 1
    sqlite3_bind_null(statement, index)
  }

  /// Runs the statement to its end, then readies it for the next use.
  /// - Throws: `DatabaseError` with SQLite's code and message.
  func run() throws {
    let code = sqlite3_step(statement)
    defer {
      sqlite3_reset(statement)
      sqlite3_clear_bindings(statement)
    }
    guard code == SQLITE_DONE || code == SQLITE_ROW else {
      throw DatabaseError(
        resultCode: ResultCode(rawValue: code),
        message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
        sql: String(cString: sqlite3_sql(statement)))
    }
  }
}
