import Foundation
import PostgresNIO

/// Where a ``PostgresStore`` connects, and how it shares the database.
public struct PostgresConfiguration: Sendable {
  public var host: String
  public var port: Int
  public var username: String
  public var password: String?
  public var database: String?
  /// The PostgreSQL schema Parley's tables live in, so they never meet the
  /// host application's own tables. Created when missing.
  public var schema: String
  /// The most connections this host opens. Each event being decided holds
  /// one from reading its context to its commit.
  public var maximumConnections: Int
  /// How long a claimed timer stays with the host that claimed it. A host
  /// that dies holding timers delays them by at most this long; then
  /// another host claims them.
  public var timerLease: Duration

  public init(
    host: String = "127.0.0.1", port: Int = 5432, username: String, password: String? = nil,
    database: String? = nil, schema: String = "parley", maximumConnections: Int = 20,
    timerLease: Duration = .seconds(30)
  ) {
    self.host = host
    self.port = port
    self.username = username
    self.password = password
    self.database = database
    self.schema = schema
    self.maximumConnections = max(2, maximumConnections)
    self.timerLease = timerLease
  }

  /// Reads `postgres://user:password@host:port/database?schema=parley`
  /// (`postgresql://` too). `schema` and `connections` are optional query items.
  /// - Throws: ``PostgresStoreError/badURL(_:_:)`` saying what is wrong.
  public init(url text: String) throws(PostgresStoreError) {
    guard let url = URLComponents(string: text), let scheme = url.scheme,
      ["postgres", "postgresql"].contains(scheme)
    else {
      throw .badURL(text, "it must look like postgres://user@host:5432/database")
    }
    guard let user = url.user, !user.isEmpty else {
      throw .badURL(text, "name the user: postgres://user@host/database")
    }
    let items = Dictionary(
      (url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
    let database = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
    self.init(
      host: url.host ?? "127.0.0.1", port: url.port ?? 5432, username: user,
      password: url.password, database: database.isEmpty ? nil : database,
      schema: items["schema"] ?? "parley",
      maximumConnections: items["connections"].flatMap(Int.init) ?? 20)
    if let lease = items["timer_lease"].flatMap(Double.init) { timerLease = .seconds(lease) }
    try validate(text)
  }

  /// Whether `text` names a PostgreSQL database rather than a file.
  public static func isURL(_ text: String) -> Bool {
    text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
  }

  func validate(_ text: String) throws(PostgresStoreError) {
    let identifier = /[a-z_][a-z0-9_]{0,62}/
    guard schema.wholeMatch(of: identifier) != nil else {
      throw .badURL(text, "schema '\(schema)' must be lower-case letters, digits and _")
    }
  }

  var client: PostgresClient.Configuration {
    var configuration = PostgresClient.Configuration(
      host: host, port: port, username: username, password: password, database: database,
      tls: .disable)
    configuration.options.maximumConnections = maximumConnections
    configuration.options.additionalStartupParameters = [("search_path", schema)]
    return configuration
  }

  var connection: PostgresConnection.Configuration {
    var configuration = PostgresConnection.Configuration(
      host: host, port: port, username: username, password: password, database: database,
      tls: .disable)
    configuration.options.additionalStartupParameters = [("search_path", schema)]
    return configuration
  }
}

/// Why the PostgreSQL store could not start or answer.
public enum PostgresStoreError: Error, Sendable, CustomStringConvertible {
  case badURL(String, String)
  /// The database could not be reached or refused a statement: (what Parley
  /// was doing, what PostgreSQL said).
  case database(String, String)

  public var description: String {
    switch self {
    case .badURL(let url, let why): "\(url): not a PostgreSQL URL: \(why)"
    case .database(let doing, let said):
      "PostgreSQL failed while \(doing): \(said). Check that the server runs and the URL (--db) is right"
    }
  }
}
