import ArgumentParser
import Foundation
import Parley
import ParleySQLite

struct RulesCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rules",
    abstract: "How the community's rules fare.",
    subcommands: [Stats.self])

  struct Stats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Every rule's firings, verdicts and precision in review and appeal, worst first.",
      discussion: """
        A rule's precision is how much of what it held or removed moderators kept: removed on
        review or upheld on appeal, out of everything they judged. Rules nobody has judged yet
        come last. Try a fix for a weak rule on the same history with `parley replay`.

        Example:
          parley rules stats --db .parley/demo.db --community acme --since 2025-06-01
        """)

    @Option(help: "The database: a SQLite file or a postgres:// URL.") var db: String
    @Option(help: "Only decisions from this date or time (2025-06-02 or 2025-06-02T10:00:00Z).")
    var since: String?
    @Option(help: "Only this community.") var community: String?

    func run() async throws {
      let start = try since.map(parseDate)
      let store = try await openDatabase(db)
      let history = try await store.history(community: community, since: start)
      let health = RuleHealth.report(history: history)
      guard !health.isEmpty else {
        print(
          "no rule acted on the \(history.count) decision\(history.count == 1 ? "" : "s") "
            + "\(community.map { "of \($0) " } ?? "")\(since.map { "since \($0) " } ?? "")in \(db)")
        return
      }
      print(RuleHealth.table(health))
      let judged = health.reduce(0) { $0 + $1.confirmed + $1.overturned }
      print(
        "\n\(history.count) decisions; \(judged) rule verdicts judged by moderators. "
          + "Precision = confirmed / (confirmed + overturned).")
    }
  }
}
