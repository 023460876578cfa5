// The demo host: builds the community in examples/community.json, loads the
// plugins folder, plays examples/conversation.jsonl through Parley, and
// prints every event with its decision and explanation.
//
//   swift run ParleyDemo [--plugins DIR] [--community FILE] [--conversation FILE]

import Foundation
import Logging
import Parley
import ParleyTesting

var options = [
  "--plugins": "plugins", "--community": "examples/community.json",
  "--conversation": "examples/conversation.jsonl",
]
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
  guard options[flag] != nil, let value = arguments.popFirst() else {
    print("usage: ParleyDemo [--plugins DIR] [--community FILE] [--conversation FILE]")
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
  let clock = ManualClock(transcript.lines.first?.line.at ?? Date())
  let store = InMemoryStore()
  let parley = try await Parley(
    plugins: URL(fileURLWithPath: options["--plugins"]!), store: store, clock: clock)
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
} catch {
  FileHandle.standardError.write(Data("demo: \(error)\n".utf8))
  exit(1)
}
