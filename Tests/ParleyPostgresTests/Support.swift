import Foundation
import Logging
import Parley
import ParleyPostgres
import Testing

/// The server the tests use: `scripts/with-postgres` starts a throwaway one
/// and sets the URL; `make test` always does.
enum TestDatabase {
  static let url = ProcessInfo.processInfo.environment["PARLEY_TEST_POSTGRES_URL"]
  static var available: Bool { url != nil }

  /// A URL naming a schema of its own, so tests running at once never meet.
  static func freshURL() -> String {
    let schema =
      "t_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
    return (url ?? "") + "?schema=" + schema
  }

  /// Runs `body` with a store on a fresh schema, then drops the schema.
  static func withStore<T>(
    url: String = freshURL(), timerLease: Duration = .seconds(30),
    _ body: (PostgresStore) async throws -> T
  ) async throws -> T {
    var configuration = try PostgresConfiguration(url: url)
    configuration.timerLease = timerLease
    let store = try await PostgresStore.connect(configuration, logger: quiet)
    do {
      let value = try await body(store)
      try await store.dropSchema()
      await store.close()
      return value
    } catch {
      try? await store.dropSchema()
      await store.close()
      throw error
    }
  }

  static let quiet: Logger = {
    var logger = Logger(label: "parley.tests")
    logger.logLevel = .warning
    return logger
  }()
}

/// Guards the guard: `make test` sets PARLEY_REQUIRE_POSTGRES, so a broken
/// server start fails the run instead of skipping every PostgreSQL test.
@Test("the PostgreSQL tests have a server when make test runs them")
func postgresIsThereWhenRequired() {
  if ProcessInfo.processInfo.environment["PARLEY_REQUIRE_POSTGRES"] == "1" {
    #expect(
      TestDatabase.available,
      "PARLEY_TEST_POSTGRES_URL is not set: run through scripts/with-postgres")
  }
}
