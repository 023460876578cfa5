import ArgumentParser
import Foundation
import Logging
import Parley
import ParleyPostgres
import ParleySQLite

/// Opens the database a host uses: a SQLite file, which must already exist
/// (these commands never create one), or a `postgres://` URL.
func openDatabase(_ location: String) async throws -> any InspectableStore {
  if PostgresConfiguration.isURL(location) {
    do {
      return try await PostgresStore.connect(url: location, logger: quietLogger)
    } catch {
      printError("\(error)")
      throw ExitStatus.unusable
    }
  }
  return try openSQLite(location)
}

/// Opens a SQLite database that must already exist.
func openSQLite(_ path: String) throws -> SQLiteStore {
  guard FileManager.default.fileExists(atPath: path) else {
    printError("\(path): no such database; pass the file your host uses with --db")
    throw ExitStatus.unusable
  }
  return try SQLiteStore(path: path)
}

/// PostgresNIO logs connection trouble itself; the commands report errors.
let quietLogger: Logger = {
  var logger = Logger(label: "parley")
  logger.logLevel = .critical
  return logger
}()

/// Reads `2025-06-02` (midnight UTC) or a full ISO 8601 time.
func parseDate(_ text: String) throws -> Date {
  if let date = try? Date(text, strategy: .iso8601) { return date }
  if let day = try? Date(text + "T00:00:00Z", strategy: .iso8601) { return day }
  throw ValidationError("'\(text)' is not a date: give 2025-06-02 or 2025-06-02T10:00:00Z")
}

struct ExportMemberCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export-member",
    abstract: "Export everything the community holds about one member, as JSON.",
    discussion: "Example:\n  parley export-member --db .parley/demo.db ada > ada.json")

  @Option(help: "The SQLite database.") var db: String
  @Argument(help: "The member id.") var member: String

  func run() async throws {
    let store = try openSQLite(db)
    guard let export = try await store.export(member: member) else {
      printError("no member '\(member)' in \(db)")
      throw ExitStatus.unusable
    }
    print(try export.json())
  }
}

struct ReplayCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay",
    abstract: "Re-run stored events through a plugin revision and show what would change.",
    discussion: """
      Nothing is written: this is how to try a rule change on real history first.

      Example:
        parley replay --db .parley/demo.db --plugins plugins --since 2025-06-02T10:00:00Z
      """)

  @Option(help: "The database: a SQLite file or a postgres:// URL.") var db: String
  @Option(help: "The plugin revision to try.") var plugins: String = "plugins"
  @Option(help: "Only events from this date or time (2025-06-02 or 2025-06-02T10:00:00Z).")
  var since: String?
  @Option(help: "Only this community.") var community: String?

  func run() async throws {
    let start = try since.map(parseDate)
    let store = try await openDatabase(db)
    let report = try await Replay.run(
      store: store, plugins: URL(fileURLWithPath: plugins), community: community, since: start)
    print(report.text)
  }
}
