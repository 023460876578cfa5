// The demo host: plays a brand's launch day (examples/transcripts/launch-day.jsonl
// at Acme, examples/communities/acme.json) and a small hobby club's week
// (examples/transcripts/hobby.jsonl, examples/communities/hobby.json) through
// the plugins folder, with the SQLite store in .parley/demo.db. It prints every
// event with its decision and explanation, then what each plugin did. Run it
// again and it shows what the file kept: the review queues, and a replay of
// the stored history through the current plugins.
//
//   swift run ParleyDemo [--plugins DIR] [--db FILE]
//                        [--play TRANSCRIPT COMMUNITY]...   (replaces the two defaults)

import Foundation
import Logging
import Parley
import ParleySQLite
import ParleyTesting

var plugins = "plugins"
var database = ".parley/demo.db"
var plays: [(transcript: String, community: String)] = []
let usage =
  "usage: ParleyDemo [--plugins DIR] [--db FILE] [--play TRANSCRIPT COMMUNITY]..."
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
  switch (flag, arguments.popFirst()) {
  case ("--plugins", let value?): plugins = value
  case ("--db", let value?): database = value
  case ("--play", let transcript?):
    guard let community = arguments.popFirst() else {
      print(usage)
      exit(2)
    }
    plays.append((transcript, community))
  default:
    print(usage)
    exit(2)
  }
}
if plays.isEmpty {
  plays = [
    ("examples/transcripts/launch-day.jsonl", "examples/communities/acme.json"),
    ("examples/transcripts/hobby.jsonl", "examples/communities/hobby.json"),
  ]
}

LoggingSystem.bootstrap { label in
  var handler = StreamLogHandler.standardError(label: label)
  handler.logLevel = .warning
  return handler
}

do {
  let store = try SQLiteStore(path: database)
  let folder = URL(fileURLWithPath: plugins)
  let loaded = try plays.map {
    (try Transcript.load($0.transcript), try CommunityFile.load($0.community))
  }
  var kept = false
  for (_, setup) in loaded {
    if try await !store.decisions(community: setup.community.id, limit: 1).isEmpty { kept = true }
  }
  if kept {
    try await showWhatWasKept(
      store: store, setups: loaded.map(\.1), plugins: folder, database: database)
    exit(0)
  }
  for (index, (transcript, setup)) in loaded.enumerated() {
    // The host's side: a store, a clock, and Parley over the plugin folder.
    let clock = ManualClock(transcript.lines.first?.line.at ?? Date())
    let parley = try await Parley(plugins: folder, store: store, clock: clock)
    let enabled = setup.community.plugins.map(\.name).joined(separator: ", ")
    print(
      "\(index == 0 ? "" : "\n\n")=== \(setup.community.name): \(plays[index].transcript)\n"
        + "    \(setup.members.count) members; plugins \(enabled); revision \(parley.revision)\n")

    let player = TranscriptPlayer(parley: parley, clock: clock, setup: setup)
    var report = SimulationReport()
    try await player.prepare(for: transcript)
    try await player.play(transcript) { step in
      report.record(step)
      print(report.table(step))
    }

    print("\n" + report.totals)
    print("\n" + report.plugins)
    let queue = try await parley.reviewQueue(community: setup.community.id)
    print(
      "\nWaiting for a moderator: "
        + (queue.isEmpty
          ? "nothing" : queue.map { "\($0.id) (\($0.kind.rawValue))" }.joined(separator: ", ")))
    var scores: [(String, Int)] = []
    for entry in setup.members {
      if let member = try await store.member(entry.id), member.score != 0 {
        scores.append((member.displayName, member.score))
      }
    }
    print(
      "Engagement points: "
        + scores.sorted { $0.1 > $1.1 }.prefix(8).map { "\($0.0) \($0.1)" }.joined(separator: ", "))
    // Rule health: what moderators made of each rule's holds and removals,
    // in review and on appeal, worst first.
    let health = try await parley.ruleHealth(community: setup.community.id)
    let acted = health.filter { $0.actioned > 0 || $0.failures > 0 }
    print(
      "\nRule health of the rules that held or removed, worst first "
        + "(precision = confirmed / judged by moderators):\n" + RuleHealth.table(acted)
        + "\n(\(health.count - acted.count) more rules only flagged or added effects; "
        + "`parley rules stats --db \(database)` lists every rule)")
  }
  print(
    "\nEverything is kept in \(database). Run the demo again to see the review queues and a replay."
  )
} catch {
  FileHandle.standardError.write(Data("demo: \(error)\n".utf8))
  exit(1)
}

/// The second run: what the database kept, and the history replayed through
/// the plugins as they are now (edit a rule and run again to see the change).
func showWhatWasKept(
  store: SQLiteStore, setups: [CommunityFile], plugins: URL, database: String
) async throws {
  for setup in setups {
    print("=== \(database) holds \(setup.community.name)'s history.\n")
    let items = QueueItem.items(
      reviews: try await store.pendingReviews(community: setup.community.id),
      appeals: try await store.pendingAppeals(community: setup.community.id))
    print("Review queue (\(items.count) waiting; reports about one member are one item):")
    for item in items {
      print("  \(item.id) [\(item.kind.rawValue)] about \(item.member ?? "?")")
      for review in item.reviews {
        let message = try await store.message(review.message)
        print("      \(review.message): \"\(message?.text ?? "")\"")
      }
      print("      because: \(item.reasons.joined(separator: "; "))")
    }
    print("\nReplaying the stored history through \(plugins.relativePath)/ (nothing is written):\n")
    let report = try await Replay.run(store: store, plugins: plugins, community: setup.community.id)
    print(report.text + "\n")
  }
  print("Delete \(database) to play the conversations from the start.")
}
