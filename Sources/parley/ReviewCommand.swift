import ArgumentParser
import Foundation
import Parley
import ParleySQLite

struct ReviewCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "review",
    abstract: "The review queue: held messages, grouped reports and appeals.",
    discussion: """
      Examples:
        parley review list --db .parley/demo.db --community acme --rule civility/blocked-words
        parley review show --db .parley/demo.db m7
        parley review resolve --db .parley/demo.db m7 --approve --moderator mia --note "fine"
        parley review resolve --db .parley/demo.db --community acme --rule posting-flood --all \\
          --remove --moderator mia --note "spam wave"
      """,
    subcommands: [List.self, Show.self, Resolve.self])

  /// The filters `list` and `resolve --all` share.
  struct Filters: ParsableArguments {
    @Option(help: "Only items a rule of this plugin is behind.") var plugin: String?
    @Option(help: "Only items this rule is behind: plugin/rule, or the rule's id.")
    var rule: String?
    @Option(help: "Only items about this member (author or appellant).") var member: String?
    @Option(help: "Only items waiting at least this long: 30m, 2h, 3d.") var olderThan: String?
    @Option(help: "Only these kinds: held, reported, appeal (repeat for several).")
    var kind: [QueueItem.Kind] = []

    func filter() throws -> QueueFilter {
      QueueFilter(
        plugin: plugin, rule: rule, member: member, olderThan: try olderThan.map(parseAge),
        kinds: Set(kind))
    }

    var isEmpty: Bool {
      plugin == nil && rule == nil && member == nil && olderThan == nil && kind.isEmpty
    }
  }

  struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List what waits for a moderator, oldest first.",
      discussion: """
        Reports about one member's messages are one item; so are fifty reports about one message.

        Examples:
          parley review list --db .parley/demo.db --community acme
          parley review list --db .parley/demo.db --community acme --kind appeal
          parley review list --db .parley/demo.db --community acme --older-than 2h --matching link
        """)

    @Option(help: "The database: a SQLite file or a postgres:// URL.") var db: String
    @Option(help: "The community.") var community: String
    @OptionGroup var filters: Filters
    @Option(help: "Only items whose reasons or messages contain this.") var matching: String?

    func run() async throws {
      let store = try await openDatabase(db)
      let filter = try filters.filter()
      let now = Date()
      var shown = 0
      let items = QueueItem.items(
        reviews: try await store.pendingReviews(community: community),
        appeals: try await store.pendingAppeals(community: community))
      for item in items where filter.matches(item, now: now) {
        var texts: [String: Message] = [:]
        for review in item.reviews {
          texts[review.message] = try await store.message(review.message)
        }
        if let matching {
          let haystack = (item.reasons + texts.values.map(\.text) + [item.appeal?.text ?? ""])
            .joined(separator: "\n").lowercased()
          guard haystack.contains(matching.lowercased()) else { continue }
        }
        shown += 1
        print(describe(item, messages: texts, now: now))
      }
      if shown == 0 {
        print(
          items.isEmpty
            ? "nothing waiting for a moderator in \(community)"
            : "none of the \(items.count) waiting items in \(community) match; drop a filter to see them"
        )
      }
    }

    private func describe(_ item: QueueItem, messages: [String: Message], now: Date) -> String {
      let waiting = "waiting \(formatAge(now.timeIntervalSince(item.since)))"
      let rules = item.rules.map(\.name).joined(separator: ", ")
      var lines: [String] = []
      switch item.kind {
      case .held:
        lines.append("\(item.id)  held  \(waiting)  \(rules)")
      case .reported:
        let reporters = item.reporters.count
        lines.append(
          "\(item.id)  reported: \(item.reviews.count) message\(item.reviews.count == 1 ? "" : "s") by \(item.member ?? "?"), "
            + "\(reporters) reporter\(reporters == 1 ? "" : "s")  \(waiting)  \(rules)")
      case .appeal:
        lines.append("\(item.id)  appeal by \(item.member ?? "?")  \(waiting)  \(rules)")
        if let appeal = item.appeal { lines.append("    \(appeal.member): \"\(appeal.text)\"") }
      }
      lines += item.reasons.map { "    reason: \($0)" }
      for review in item.reviews {
        if let message = messages[review.message] {
          lines.append("    \(message.id) by \(message.author): \"\(message.text)\"")
        }
      }
      return lines.joined(separator: "\n")
    }
  }

  struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Show a held message and every decision about it, or an appealed decision.",
      discussion: """
        Examples:
          parley review show --db .parley/demo.db m7
          parley review show --db .parley/demo.db d-1f2e3d4c5b6a79880716a5b4
        """)

    @Option(help: "The database: a SQLite file or a postgres:// URL.") var db: String
    @Argument(help: "A message id, or a decision id.") var id: String

    func run() async throws {
      let store = try await openDatabase(db)
      if let decision = try await store.decision(id: id) {
        print(
          "decision \(decision.id): \(decision.event.summary), \(decision.decidedAt.formatted(.iso8601))"
        )
        print(decision.explanation.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        if let appeal = try await store.appeal(decision: id) {
          let state =
            appeal.outcome.map { "\($0.rawValue) by \(appeal.moderator ?? "?")" } ?? "waiting"
          print("appeal by \(appeal.member) (\(state)): \"\(appeal.text)\"")
          if let note = appeal.note { print("  note: \(note)") }
        }
        return
      }
      guard let stored = try await store.message(id) else {
        printError("no message or decision '\(id)' in \(db); `parley review list` shows the ids")
        throw ExitStatus.unusable
      }
      print("\(stored.id) by \(stored.author) in \(stored.thread): \"\(stored.text)\"")
      for decision in try await store.decisions(about: id) {
        print(
          "\n\(decision.event.summary), \(decision.decidedAt.formatted(.iso8601)) [\(decision.id)]:"
        )
        print(decision.explanation.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
      }
    }
  }

  struct Resolve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Approve or remove held messages, uphold or overturn appeals; the rules see each.",
      discussion: """
        Name items by id (a message id; an appealed decision's id), or resolve every item that
        passes the filters with --all. Each message is its own decision in the audit log.

        Examples:
          parley review resolve --db .parley/demo.db m7 --remove --moderator mia --note "spam"
          parley review resolve --db .parley/demo.db d-1f2e3d4c5b6a79880716a5b4 --overturn --moderator mia
          parley review resolve --db .parley/demo.db --community acme --rule posting-flood --all \\
            --remove --moderator mia --note "spam wave"
        """)

    @Option(help: "The database: a SQLite file or a postgres:// URL.") var db: String
    @Option(help: "The folder of plugins the host runs.") var plugins: String = "plugins"
    @Argument(help: "Message ids (held or reported) or decision ids (appealed).")
    var ids: [String] = []
    @Flag(help: "How to resolve them.") var resolution: QueueResolution
    @Option(help: "Who resolves them.") var moderator: String
    @Option(help: "A note for the audit log (and, on appeals, for the member).") var note: String?
    @Flag(help: "Resolve every item that passes the filters (needs --community).") var all = false
    @Option(help: "The community, with --all.") var community: String?
    @OptionGroup var filters: Filters

    func validate() throws {
      if all {
        guard community != nil else { throw ValidationError("--all needs --community") }
        guard ids.isEmpty else { throw ValidationError("name items or pass --all, not both") }
      } else {
        guard !ids.isEmpty else {
          throw ValidationError(
            "name the items to resolve (`parley review list` shows their ids), or pass --all with filters"
          )
        }
        guard filters.isEmpty else { throw ValidationError("filters only apply with --all") }
      }
    }

    func run() async throws {
      let store = try await openDatabase(db)
      let parley = try await Parley(
        plugins: URL(fileURLWithPath: plugins), store: store, configuration: .init(workers: 1))
      if let community, all {
        let items = try await parley.reviewQueue(community: community, filter: try filters.filter())
        let fitting = items.filter { resolution.fits($0.kind) }
        if fitting.isEmpty {
          print("nothing to \(resolution.rawValue) in \(community) with these filters")
          return
        }
        var decisions = 0
        for item in fitting {
          let decided = try await parley.resolve(
            item, as: resolution, moderator: moderator, note: note)
          decisions += decided.count
          print(
            "\(item.id): \(resolution.past) \(summary(of: item)) [\(decided.map(\.id).joined(separator: ", "))]"
          )
        }
        let skipped = items.count - fitting.count
        print(
          "\(resolution.past) \(fitting.count) item\(fitting.count == 1 ? "" : "s") in \(community): "
            + "\(decisions) decision\(decisions == 1 ? "" : "s") in the audit log"
            + (skipped > 0
              ? "; \(skipped) item\(skipped == 1 ? "" : "s") of another kind left" : ""))
        return
      }
      for id in ids {
        let decision: Decision
        switch resolution {
        case .approve, .remove:
          decision = try await parley.resolveReview(
            message: id, outcome: resolution == .approve ? .approved : .rejected,
            moderator: moderator, note: note)
        case .uphold, .overturn:
          decision = try await parley.resolveAppeal(
            decision: id, outcome: resolution == .overturn ? .overturned : .upheld,
            moderator: moderator, note: note)
        }
        print("\(id) \(resolution.past) by \(moderator) [\(decision.id)]")
        print(decision.explanation.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
      }
    }

    private func summary(of item: QueueItem) -> String {
      switch item.kind {
      case .appeal: "appeal by \(item.member ?? "?")"
      case .held, .reported:
        item.reviews.map(\.message).joined(separator: ", ")
          + (item.reporters.isEmpty ? "" : " (\(item.reporters.count) reporters)")
      }
    }
  }
}

extension QueueItem.Kind: ExpressibleByArgument {}

extension QueueResolution: EnumerableFlag {
  var past: String {
    switch self {
    case .approve: "approved"
    case .remove: "removed"
    case .uphold: "upheld"
    case .overturn: "overturned"
    }
  }

  public static func help(for value: QueueResolution) -> ArgumentHelp? {
    switch value {
    case .approve: "Let held or reported messages through."
    case .remove: "Remove held or reported messages."
    case .uphold: "Let appealed decisions stand."
    case .overturn: "Reverse appealed decisions (restores the message, lifts the mute)."
    }
  }
}

/// Reads a waiting time: `45s`, `30m`, `2h` or `3d`.
func parseAge(_ text: String) throws -> TimeInterval {
  let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
  guard let unit = text.last.flatMap({ units[$0] }), let amount = Double(text.dropLast()),
    amount >= 0
  else {
    throw ValidationError("'\(text)' is not a waiting time: give 45s, 30m, 2h or 3d")
  }
  return amount * unit
}

/// A waiting time the way a moderator reads it: `12m`, `3h 5m`, `2d 4h`.
func formatAge(_ seconds: TimeInterval) -> String {
  let minutes = max(0, Int(seconds / 60))
  if minutes < 60 { return "\(minutes)m" }
  if minutes < 1440 { return "\(minutes / 60)h \(minutes % 60)m" }
  return "\(minutes / 1440)d \(minutes % 1440 / 60)h"
}
