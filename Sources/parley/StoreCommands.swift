import ArgumentParser
import Foundation
import Parley
import ParleySQLite

/// Opens a database that must already exist (these commands never create one).
func openDatabase(_ path: String) throws -> SQLiteStore {
  guard FileManager.default.fileExists(atPath: path) else {
    printError("\(path): no such database; pass the file your host uses with --db")
    throw ExitStatus.unusable
  }
  return try SQLiteStore(path: path)
}

struct ReviewCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "review",
    abstract: "The review queue: held messages waiting for a moderator.",
    discussion: """
      Examples:
        parley review list --db .parley/demo.db --community acme
        parley review show --db .parley/demo.db m7
        parley review resolve --db .parley/demo.db m7 --approve --moderator mia --note "fine"
      """,
    subcommands: [List.self, Show.self, Resolve.self])

  struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List held messages, oldest first.",
      discussion:
        "Example:\n  parley review list --db .parley/demo.db --community acme --matching link")

    @Option(help: "The SQLite database.") var db: String
    @Option(help: "The community.") var community: String
    @Option(help: "Only reviews whose reasons or text contain this.") var matching: String?

    func run() async throws {
      let store = try openDatabase(db)
      let reviews = try await store.reviews(community: community, matching: matching)
      if reviews.isEmpty { print("nothing waiting for a moderator in \(community)") }
      for (review, message) in reviews {
        print(
          "\(review.message)  held \(review.heldAt.formatted(.iso8601))  \(review.reasons.joined(separator: "; "))"
        )
        if let message { print("    \(message.author): \"\(message.text)\"") }
      }
    }
  }

  struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Show a held message and every decision about it.",
      discussion: "Example:\n  parley review show --db .parley/demo.db m7")

    @Option(help: "The SQLite database.") var db: String
    @Argument(help: "The message id.") var message: String

    func run() async throws {
      let store = try openDatabase(db)
      guard let stored = try await store.message(message) else {
        printError("no message '\(message)' in \(db)")
        throw ExitStatus.unusable
      }
      print("\(stored.id) by \(stored.author) in \(stored.thread): \"\(stored.text)\"")
      for decision in try await store.decisions(about: message) {
        print("\n\(decision.event.summary), \(decision.decidedAt.formatted(.iso8601)):")
        print(decision.explanation.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
      }
    }
  }

  struct Resolve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Approve or remove a held message; the rules see the outcome.",
      discussion: """
        Example:
          parley review resolve --db .parley/demo.db m7 --remove --moderator mia --note "spam"
        """)

    @Option(help: "The SQLite database.") var db: String
    @Option(help: "The folder of plugins the host runs.") var plugins: String = "plugins"
    @Argument(help: "The message id.") var message: String
    @Flag(help: "Let the message through.") var approve = false
    @Flag(help: "Remove the message.") var remove = false
    @Option(help: "Who resolves it.") var moderator: String
    @Option(help: "A note for the audit log.") var note: String?

    func validate() throws {
      guard approve != remove else { throw ValidationError("say --approve or --remove") }
    }

    func run() async throws {
      let store = try openDatabase(db)
      let parley = try await Parley(
        plugins: URL(fileURLWithPath: plugins), store: store, configuration: .init(workers: 1))
      let decision = try await parley.resolveReview(
        message: message, outcome: approve ? .approved : .rejected, moderator: moderator, note: note
      )
      print("\(message) \(approve ? "approved" : "removed") by \(moderator)")
      print(decision.explanation.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
    }
  }
}

struct ExportMemberCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export-member",
    abstract: "Export everything the community holds about one member, as JSON.",
    discussion: "Example:\n  parley export-member --db .parley/demo.db ada > ada.json")

  @Option(help: "The SQLite database.") var db: String
  @Argument(help: "The member id.") var member: String

  func run() async throws {
    let store = try openDatabase(db)
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

  @Option(help: "The SQLite database.") var db: String
  @Option(help: "The plugin revision to try.") var plugins: String = "plugins"
  @Option(help: "Only events from this time (ISO 8601).") var since: String?
  @Option(help: "Only this community.") var community: String?

  func run() async throws {
    var start: Date?
    if let since {
      guard let date = try? Date(since, strategy: .iso8601) else {
        throw ValidationError("--since needs an ISO 8601 time such as 2025-06-02T10:00:00Z")
      }
      start = date
    }
    let store = try openDatabase(db)
    let report = try await Replay.run(
      store: store, plugins: URL(fileURLWithPath: plugins), community: community, since: start)
    print(report.text)
  }
}
