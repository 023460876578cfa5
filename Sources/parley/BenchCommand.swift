import ArgumentParser
import Foundation
import Logging
import Parley
import ParleyBench
import ParleyTesting

struct BenchCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Measure what each rule costs: calls, mean and p99 time, share of the total.",
    discussion: """
      Runs events through every plugin in the folder, as the host would (context, rules,
      combination, consent, the in-memory store), and prints each rule's cost, slowest
      first. Without --transcript the events are a synthetic community's messages (plain
      text, links, shouting, promotion, mentions, questions, replies); with it, the
      transcript is played again and again until --events have run.

      Examples:
        parley bench plugins
        parley bench plugins --transcript examples/transcripts/launch-day.jsonl \\
          --community examples/communities/acme.json --events 20000

      The engine always keeps these counters; docs/performance.md explains the figures.
      Exit status: 0, or 2 when the plugins or the transcript cannot be loaded.
      """)

  @Argument(help: "The folder of plugins.")
  var plugins: String = "plugins"

  @Option(help: "A transcript (.jsonl) to play instead of the synthetic messages.")
  var transcript: String?

  @Option(help: "The community file for --transcript.")
  var community: String = "examples/communities/acme.json"

  @Option(help: "How many events to run.")
  var events: Int = 50_000

  @Option(help: "Workers (Lua states). Default: one per core.")
  var workers: Int = ProcessInfo.processInfo.activeProcessorCount

  @Option(help: "table (for people) or json.")
  var format: Format = .table

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case table, json
  }

  func validate() throws {
    guard events > 0 else { throw ValidationError("--events must be at least 1") }
    guard workers > 0 else { throw ValidationError("--workers must be at least 1") }
  }

  func run() async throws {
    LoggingSystem.bootstrap { label in
      var handler = StreamLogHandler.standardError(label: label)
      handler.logLevel = .warning
      return handler
    }
    let folder = URL(fileURLWithPath: plugins)
    let (ran, seconds, costs): (Int, Double, [RuleCost])
    do {
      guard try !PluginCatalog.load(from: folder).plugins.isEmpty else {
        printError(
          "no plugins in \(plugins): pass a plugin's folder (one holding plugin.lua) or a folder of them"
        )
        throw ExitStatus.unusable
      }
      if let transcript {
        (ran, seconds, costs) = try await playTranscript(transcript, folder: folder)
      } else {
        (ran, seconds, costs) = try await runSynthetic(folder: folder)
      }
    } catch let error as TranscriptError {
      printError(error.description)
      throw ExitStatus.unusable
    } catch let error as ParleyError {
      printError("\(error)")
      throw ExitStatus.unusable
    }
    let perSecond = Double(ran) / seconds
    switch format {
    case .table:
      print(
        String(
          format: "%d events in %.2f s on %d worker%@: %.0f events/s, %.1f µs/event\n",
          ran, seconds, workers, workers == 1 ? "" : "s", perSecond, seconds * 1e6 / Double(ran)))
      print(RuleCostTable.render(costs), terminator: "")
    case .json:
      print(RuleCostTable.json(costs, events: ran, seconds: seconds, workers: workers))
    }
  }

  private func makeParley(folder: URL, clock: ManualClock) async throws -> Parley {
    try await Parley(
      plugins: folder, store: InMemoryStore(retention: .init()), clock: clock,
      configuration: .init(workers: workers))
  }

  private func runSynthetic(folder: URL) async throws -> (Int, Double, [RuleCost]) {
    let names = try PluginCatalog.load(from: folder).plugins.map(\.manifest.name)
    let corpus = SyntheticCorpus(messages: min(events, 200_000), plugins: names)
    let parley = try await makeParley(folder: folder, clock: ManualClock())
    try await corpus.install(in: parley)
    let result = try await EngineDriver.throughput(parley, count: events) { corpus.event($0) }
    return (events, result.seconds, parley.ruleCosts())
  }

  /// Plays the transcript on a fresh store each round (its ids would clash
  /// otherwise) until enough events have run, adding up the rules' costs.
  private func playTranscript(_ path: String, folder: URL) async throws -> (
    Int, Double, [RuleCost]
  ) {
    let parsed = try Transcript.load(path)
    let setup = try CommunityFile.load(community)
    var ran = 0
    var seconds = 0.0
    var costs: [String: RuleCost] = [:]
    repeat {
      let clock = ManualClock(parsed.lines.first?.line.at ?? Date())
      let parley = try await makeParley(folder: folder, clock: clock)
      let player = TranscriptPlayer(parley: parley, clock: clock, setup: setup)
      try await player.prepare(for: parsed)
      var steps = 0
      let start = ContinuousClock.now
      try await player.play(parsed) { _ in steps += 1 }
      let elapsed = ContinuousClock.now - start
      seconds += elapsed.seconds
      guard steps > 0 else { break }
      ran += steps
      for cost in parley.ruleCosts() {
        costs["\(cost.plugin)/\(cost.rule)", default: cost.emptied].merge(cost)
      }
    } while ran < events
    return (ran, max(seconds, 1e-9), Array(costs.values))
  }
}

extension RuleCost {
  /// The same rule with nothing counted yet.
  fileprivate var emptied: RuleCost {
    RuleCost(
      plugin: plugin, rule: rule, location: location, calls: 0, failures: 0, totalNanoseconds: 0,
      durations: DurationHistogram())
  }
}
