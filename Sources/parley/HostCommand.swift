import ArgumentParser
import Foundation
import Parley
import ParleyPostgres
import ParleySQLite
import ParleyTesting

struct HostCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "host",
    abstract: "Run Parley as a host process: events in on stdin, decisions out on stdout.",
    discussion: """
      Each input line is a transcript line (docs/transcripts.md): post, edit, report, consent,
      join, review, appeal or resolve_appeal. Each decision is printed as one JSON line once it
      is committed: {"line": 3, "decision": "…", "verdict": "hold", "event": "message_posted"}.
      Due timers fire every --timers seconds and print {"timer": "…", …}. Lines of one thread
      are decided in order; other lines run in parallel. At the end of the input the host waits
      for every decision, prints a summary on stderr and exits (1 if any line failed).

      Several hosts can share one postgres:// database: PostgreSQL keeps each thread's events
      in order, plugin state exact and each timer firing once (docs/scaling.md).

      Example:
        parley host --db postgres://parley@db/forum --community examples/community.json \\
          < events.jsonl
      """)

  @Option(help: "The database: a SQLite file (created when missing) or a postgres:// URL.")
  var db: String
  @Option(help: "The plugin folder.") var plugins: String = "plugins"
  @Option(help: "The community file: the community and members created when missing.")
  var community: String
  @Option(help: "Workers (Lua states); the machine's cores by default.") var workers: Int?
  @Option(help: "Seconds between looks for due timers; 0 leaves timers alone.")
  var timers: Double = 1

  func run() async throws {
    let setup = try CommunityFile.load(community)
    let store = try await openHostStore(db)
    var configuration = Parley.Configuration()
    if let workers { configuration.workers = workers }
    let parley: Parley
    do {
      parley = try await Parley(
        plugins: URL(fileURLWithPath: plugins), store: store, configuration: configuration,
        logger: quietLogger)
    } catch {
      printError("\(error)")
      throw ExitStatus.unusable
    }
    try await prepare(setup, in: parley)

    let output = HostOutput()
    let timerLoop = timers > 0 ? Task { await fireTimers(parley, output) } : nil
    var lanes: [String: Task<Void, Never>] = [:]
    var messageThreads: [String: String] = [:]
    var number = 0
    for await text in standardInputLines() {
      number += 1
      guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
      let line: TranscriptLine
      do {
        line = try TranscriptLine.parse(text)
      } catch {
        output.failed(line: number, error.message)
        continue
      }
      let key = lane(for: line, threads: &messageThreads, number: number)
      let previous = lanes[key]
      lanes[key] = Task { [number] in
        await previous?.value
        do {
          let (_, decision) = try await line.play(on: parley, setup: setup)
          output.decided(decision, line: number)
        } catch {
          output.failed(line: number, "\(error)")
        }
      }
    }
    for lane in lanes.values { await lane.value }
    timerLoop?.cancel()
    await timerLoop?.value
    let counts = output.counts
    printError(
      "host: \(counts.decided) events decided, \(counts.timers) timers fired, "
        + "\(counts.failed) lines failed")
    if let store = store as? PostgresStore { await store.close() }
    if counts.failed > 0 { throw ExitStatus.failed }
  }

  /// Lines of one lane are decided in the order they arrived, whatever the
  /// other lanes do: a thread's posts, and the edits, reports and reviews of
  /// its messages, share its lane; other lines go by message or member.
  private func lane(for line: TranscriptLine, threads: inout [String: String], number: Int)
    -> String
  {
    if line.kind == .post, let id = line.id, let thread = line.thread { threads[id] = thread }
    let message = line.kind == .edit ? line.id : line.message
    if let thread = line.thread ?? message.flatMap({ threads[$0] }) { return "thread:" + thread }
    if let message { return "message:" + message }
    if let member = line.member { return "member:" + member }
    return "line:\(number)"
  }

  /// Creates the community and the members that are missing. Stored ones
  /// stay as they are: their counters belong to the database.
  private func prepare(_ setup: CommunityFile, in parley: Parley) async throws {
    if try await parley.store.community(setup.community.id) == nil {
      try await parley.createCommunity(setup.community)
    }
    for entry in setup.members where try await parley.store.member(entry.id) == nil {
      try await parley.addMember(setup.member(entry))
    }
  }

  private func fireTimers(_ parley: Parley, _ output: HostOutput) async {
    while !Task.isCancelled {
      do {
        for decision in try await parley.fireDueTimers() { output.decided(decision, line: nil) }
      } catch {
        output.failed(line: nil, "firing timers: \(error)")
      }
      try? await Task.sleep(for: .seconds(timers))
    }
  }

  /// The host's database: created when it is a new SQLite file.
  private func openHostStore(_ location: String) async throws -> any Store {
    if PostgresConfiguration.isURL(location) { return try await openDatabase(location) }
    return try SQLiteStore(path: location)
  }
}

/// Prints one JSON line per decision or failure, whole lines only, and counts them.
final class HostOutput: Sendable {
  private let state = Locked((decided: 0, timers: 0, failed: 0))

  var counts: (decided: Int, timers: Int, failed: Int) { state.withLock { $0 } }

  func decided(_ decision: Decision, line: Int?) {
    var fields: [String: any Sendable] = [
      "decision": decision.id, "verdict": decision.verdict.rawValue,
      "event": decision.event.kind.rawValue,
    ]
    if let line { fields["line"] = line }
    if case .timerDue(let timer) = decision.event { fields["timer"] = timer.id }
    if let message = decision.messageID { fields["message"] = message }
    state.withLock { state in
      if line == nil { state.timers += 1 } else { state.decided += 1 }
      write(fields)
    }
  }

  func failed(line: Int?, _ why: String) {
    var fields: [String: any Sendable] = ["error": why]
    if let line { fields["line"] = line }
    state.withLock { state in
      state.failed += 1
      write(fields)
    }
  }

  private func write(_ fields: [String: any Sendable]) {
    guard
      let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    else { return }
    FileHandle.standardOutput.write(data + Data("\n".utf8))
  }
}

/// Standard input's lines, read on a thread of their own: reading blocks,
/// and Swift's concurrency threads must not.
func standardInputLines() -> AsyncStream<String> {
  AsyncStream { continuation in
    Thread {
      while let line = readLine(strippingNewline: true) { continuation.yield(line) }
      continuation.finish()
    }.start()
  }
}
