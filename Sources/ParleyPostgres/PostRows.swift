import Logging
import Parley
import PostgresNIO

/// The rows a post's context needs, fetched with prepared statements before
/// the context is put together.
struct PostRows: Sendable {
  var thread: DialogueThread?
  var community: Community?
  var member: Member?
  var recent: [Message]?

  static func fetch(
    _ message: Message, recent limit: Int, _ connection: PostgresConnection, _ logger: Logger
  ) async throws -> PostRows {
    var rows = PostRows()
    rows.thread = try await first(FindThread(id: message.thread), connection, logger).map(
      PostgresRows.thread)
    guard let thread = rows.thread else { return rows }
    rows.community = try await first(FindCommunity(id: thread.community), connection, logger).map(
      PostgresRows.community)
    rows.member = try await first(FindMember(id: message.author), connection, logger).map(
      PostgresRows.member)
    var recent: [Message] = []
    for try await row in try await connection.execute(
      RecentMessages(thread: thread.id, limit: limit), logger: logger)
    {
      recent.append(try PostgresRows.message(row))
    }
    rows.recent = recent.reversed()
    return rows
  }

  private static func first<Statement: PostgresPreparedStatement>(
    _ statement: Statement, _ connection: PostgresConnection, _ logger: Logger
  ) async throws -> PostgresRow? where Statement.Row == PostgresRow {
    for try await row in try await connection.execute(statement, logger: logger) { return row }
    return nil
  }
}

/// A row by its id, on a statement prepared once per connection.
protocol FindByID: PostgresPreparedStatement where Row == PostgresRow {
  var id: String { get }
}

extension FindByID {
  func makeBindings() throws -> PostgresBindings {
    var bindings = PostgresBindings(capacity: 1)
    bindings.append(id)
    return bindings
  }

  func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}

struct FindThread: FindByID {
  static let sql = "SELECT * FROM thread WHERE id = $1"
  var id: String
}

struct FindCommunity: FindByID {
  static let sql = "SELECT * FROM community WHERE id = $1"
  var id: String
}

struct FindMember: FindByID {
  static let sql = "SELECT * FROM member WHERE id = $1"
  var id: String
}

struct RecentMessages: PostgresPreparedStatement {
  static let sql = "SELECT * FROM message WHERE thread = $1 ORDER BY seq DESC LIMIT $2"
  typealias Row = PostgresRow
  var thread: String
  var limit: Int

  func makeBindings() throws -> PostgresBindings {
    var bindings = PostgresBindings(capacity: 2)
    bindings.append(thread)
    bindings.append(limit)
    return bindings
  }

  func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}
