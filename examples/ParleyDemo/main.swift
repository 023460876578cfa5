// The demo host: builds the community in examples/community.json, loads the
// plugins folder, plays examples/conversation.jsonl through Parley with the
// SQLite store in .parley/demo.db, and prints every event with its decision
// and explanation. Run it again and it shows what the file kept: the review
// queue, and a replay of the stored history through the current plugins.
//
//   swift run ParleyDemo [--plugins DIR] [--community FILE] [--conversation FILE] [--db FILE]

import Foundation
import Logging
import Parley
import ParleySQLite
import ParleyTesting

var options = [
  "--plugins": "plugins", "--community": "examples/community.json",
  "--conversation": "examples/conversation.jsonl", "--db": ".parley/demo.db",
]
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
  guard options[flag] != nil, let value = arguments.popFirst() else {
    print("usage: ParleyDemo [--plugins DIR] [--community FILE] [--conversation FILE] [--db FILE]")
    exit(2)
  }
  options[flag] = value
}

LoggingSystem.bootstrap { label in
  var handler = StreamLogHandler.standardError(label: label)
  handler.logLevel = .warning
  return handler
}

do {
  let transcript = try Transcript.load(options["--conversation"]!)
  let setup = try CommunityFile.load(options["--community"]!)

  // The host's side: a store, a clock, and Parley over the plugin folder.
  let database = options["--db"]!
  let store = try SQLiteStore(path: database)
  let plugins = URL(fileURLWithPath: options["--plugins"]!)
  if try await !store.decisions(community: setup.community.id, limit: 1).isEmpty {
    try await showWhatWasKept(store: store, setup: setup, plugins: plugins, database: database)
    exit(0)
  }
  let clock = ManualClock(transcript.lines.first?.line.at ?? Date())
  let parley = try await Parley(plugins: plugins, store: store, clock: clock)
  print(
    "Parley demo: \(setup.community.name), \(setup.members.count) members, plugins revision \(parley.revision)\n"
  )

  let player = TranscriptPlayer(parley: parley, clock: clock, setup: setup)
  var report = SimulationReport()
  try await player.prepare(for: transcript)
  try await player.play(transcript) { step in
    report.record(step)
    print(report.table(step))
  }

  print("\n" + report.totals)
  let held = try await store.pendingReviews(community: setup.community.id)
  print(
    "Waiting for a moderator: \(held.isEmpty ? "nothing" : held.map(\.message).joined(separator: ", "))"
  )
  var scores: [(String, Int)] = []
  for entry in setup.members {
    if let member = try await store.member(entry.id), member.score != 0 {
      scores.append((member.displayName, member.score))
    }
  }
  print(
    "Engagement points: "
      + scores.sorted { $0.1 > $1.1 }.map { "\($0.0) \($0.1)" }.joined(separator: ", "))
  print(
    "\nEverything is kept in \(database). Run the demo again to see the review queue and a replay.")
} catch {
  FileHandle.standardError.write(Data("demo: \(error)\n".utf8))
  exit(1)
}

/// The second run: what the database kept, and the history replayed through
/// the plugins as they are now (edit a rule and run again to see the change).
func showWhatWasKept(store: SQLiteStore, setup: CommunityFile, plugins: URL, database: String)
  async throws
{
  print("Parley demo: \(database) already holds \(setup.community.name)'s history.\n")
  let reviews = try await store.reviews(community: setup.community.id)
  print("Review queue (\(reviews.count) waiting):")
  for (review, message) in reviews {
    print("  \(review.message) by \(message?.author ?? "?"): \"\(message?.text ?? "")\"")
    print("      held because: \(review.reasons.joined(separator: "; "))")
  }
  print("\nReplaying the stored history through \(plugins.relativePath)/ (nothing is written):\n")
  let report = try await Replay.run(store: store, plugins: plugins, community: setup.community.id)
  print(report.text)
  print("\nDelete \(database) to play the conversation from the start.")
}
