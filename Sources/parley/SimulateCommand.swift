import ArgumentParser
import Foundation
import Logging
import Parley
import ParleyTesting

struct SimulateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "simulate",
    abstract: "Play a conversation transcript through the plugins and print every decision.",
    discussion: """
      The transcript is JSON Lines, one event per line (see docs/transcripts.md).

      Example:
        parley simulate examples/transcripts/launch-day.jsonl \\
          --community examples/communities/acme.json

      Exit status: 0 when every line played, 2 when a line or file is unusable
      (the error names the line).
      """)

  @Argument(help: "The transcript (.jsonl).")
  var transcript: String

  @Option(help: "The folder of plugins.")
  var plugins: String = "plugins"

  @Option(help: "The community and its members (JSON).")
  var community: String = "examples/community.json"

  @Option(help: "table (for people) or jsonl (one decision per line).")
  var format: Format = .table

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case table, jsonl
  }

  func run() async throws {
    let parsed: Transcript
    let setup: CommunityFile
    do {
      parsed = try Transcript.load(transcript)
      setup = try CommunityFile.load(community)
    } catch {
      printError(error.description)
      throw ExitStatus.unusable
    }
    LoggingSystem.bootstrap { label in
      var handler = StreamLogHandler.standardError(label: label)
      handler.logLevel = .warning
      return handler
    }
    let clock = ManualClock(parsed.lines.first?.line.at ?? Date())
    let parley: Parley
    do {
      parley = try await Parley(
        plugins: URL(fileURLWithPath: plugins), store: InMemoryStore(), clock: clock,
        configuration: .init(workers: 1))
    } catch {
      printError("\(error)")
      throw ExitStatus.unusable
    }
    let player = TranscriptPlayer(parley: parley, clock: clock, setup: setup)
    var report = SimulationReport()
    let format = self.format
    do {
      try await player.prepare(for: parsed)
      try await player.play(parsed) { step in
        report.record(step)
        print(format == .table ? report.table(step) : report.jsonLine(step))
      }
    } catch let error as TranscriptError {
      printError(error.description)
      throw ExitStatus.unusable
    }
    if format == .table { print("\n" + report.totals + "\n\n" + report.plugins) }
  }
}

func printError(_ message: String) {
  FileHandle.standardError.write(Data("parley: \(message)\n".utf8))
}
