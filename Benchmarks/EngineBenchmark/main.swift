// Engine throughput on the bundled plugins: events per second through
// Parley.handle with one worker and with one worker per core over the
// in-memory store, and with all workers over the SQLite store (durable when
// handle returns). Each event is a message posted to one of 64 threads,
// submitted all at once so the engine decides how to run them.
//
//   swift run -c release EngineBenchmark [--events N] [--plugins DIR]

import Foundation
import Parley
import ParleySQLite

var events = 20_000
var plugins = "plugins"
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
  switch (flag, arguments.popFirst()) {
  case ("--events", let value?) where Int(value).map({ $0 > 0 }) == true: events = Int(value)!
  case ("--plugins", let value?): plugins = value
  default:
    print("usage: EngineBenchmark [--events N] [--plugins DIR]")
    exit(2)
  }
}

let texts = [
  "My router keeps rebooting since the update. Is there a fix?",
  "Turning off Smart Connect fixed it for me, try that.",
  "Thanks, that worked!",
  "WHY IS THE ADMIN PAGE SO SLOW TODAY???",
  "Here is the guide I used: https://example.org/mesh",
]

func run(workers: Int, events: Int, plugins: String, store: any Store) async throws -> (
  perSecond: Double, decisions: Int
) {
  let clock = ManualClock()
  let parley = try await Parley(
    plugins: URL(fileURLWithPath: plugins), store: store, clock: clock,
    configuration: .init(workers: workers))
  let enabled = parley.plugins.map { EnabledPlugin(name: $0.name) }
  try await parley.createCommunity(Community(id: "bench", name: "Benchmark", plugins: enabled))
  for m in 0..<32 {
    try await parley.addMember(
      Member(
        id: "member-\(m)", community: "bench", displayName: "Member \(m)", joinedAt: clock.now,
        trustLevel: m % 5, consents: Consents(support: true, news: m % 2 == 0, offers: m % 3 == 0)))
  }
  for t in 0..<64 {
    try await parley.openThread(
      DialogueThread(
        id: "thread-\(t)", community: "bench", title: "Thread \(t)", opener: "member-\(t % 32)"))
  }
  let start = ContinuousClock.now
  var tasks: [Task<Decision, any Error>] = []
  tasks.reserveCapacity(events)
  for i in 0..<events {
    let message = Message(
      id: "message-\(i)", thread: "thread-\(i % 64)", author: "member-\((i / 64 + i) % 32)",
      text: texts[i % texts.count], createdAt: clock.now)
    tasks.append(parley.submit(.messagePosted(message)))
  }
  var failures = 0
  for task in tasks { failures += try await task.value.failures.count }
  let elapsed = ContinuousClock.now - start
  let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
  if failures > 0 { print("  warning: \(failures) rule failures; check the plugins") }
  return (Double(events) / seconds, tasks.count)
}

let cores = ProcessInfo.processInfo.activeProcessorCount
print(
  "engine throughput, \(events) message_posted events over 64 threads, plugins from \(plugins)/")
let one = try await run(workers: 1, events: events, plugins: plugins, store: InMemoryStore())
print(String(format: "  1 worker   : %8.0f events/s", one.perSecond))
let all = try await run(workers: cores, events: events, plugins: plugins, store: InMemoryStore())
print(
  String(
    format: "  %d workers  : %8.0f events/s  (%.2fx)", cores, all.perSecond,
    all.perSecond / one.perSecond))
let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
  "parley-bench-\(UUID().uuidString)")
defer { try? FileManager.default.removeItem(at: folder) }
let sqlite = try await run(
  workers: cores, events: events, plugins: plugins,
  store: SQLiteStore(path: folder.appendingPathComponent("bench.db").path))
print(
  String(
    format: "  %d workers, SQLite (durable): %8.0f events/s  (%.2fx in-memory)", cores,
    sqlite.perSecond,
    sqlite.perSecond / all.perSecond))
