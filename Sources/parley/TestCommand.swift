import ArgumentParser
import Foundation
import ParleyTesting

struct TestCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "test",
    abstract: "Run the plugins' specs (spec/*_spec.lua).",
    discussion: """
      Examples:
        parley test                                   every plugin under plugins/
        parley test plugins/dialogue-basics --coverage
        parley test --reporter junit --output specs.xml

      Exit status: 0 when every spec passes, 1 when one fails (or coverage is below
      --min-coverage), 2 when a plugin or spec file cannot be loaded.
      """)

  @Argument(help: "Plugin folders, a folder of plugins, or spec files.")
  var paths: [String] = ["plugins"]

  @Option(help: "Run only specs whose full name contains this text.")
  var filter: String?

  @Option(help: "pretty, tap or junit.")
  var reporter: Reporter = .pretty

  @Option(help: "Write the report to this file instead of standard output.")
  var output: String?

  @Flag(help: "List every rule with the number of specs that made it fire.")
  var coverage = false

  @Option(help: "Fail when fewer than this percentage of rules fired (implies --coverage).")
  var minCoverage: Double?

  @Flag(help: "Stop after the first failing spec.")
  var failFast = false

  @Option(help: "Seed for every spec's random numbers (default 0: runs are repeatable).")
  var seed: Int64 = 0

  @Flag(help: "No colours, even on a terminal.")
  var noColor = false

  enum Reporter: String, ExpressibleByArgument, CaseIterable {
    case pretty, tap, junit
  }

  func run() async throws {
    var options = SpecRunner.Options()
    options.filter = filter
    options.failFast = failFast
    options.seed = seed
    let result = await SpecRunner(options: options).run(
      paths: paths.map { URL(fileURLWithPath: $0) })
    let color =
      output == nil && !noColor && isatty(STDOUT_FILENO) != 0
      && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    let format = SpecReporter(rawValue: reporter.rawValue) ?? .pretty
    let text = format.render(result, color: color, coverage: coverage || minCoverage != nil)
    if let output {
      do {
        try text.write(toFile: output, atomically: true, encoding: .utf8)
      } catch {
        throw ValidationError("cannot write the report to \(output): \(error.localizedDescription)")
      }
      print(SpecReporter.pretty.render(result, color: false, coverage: false), terminator: "")
    } else {
      print(text, terminator: "")
    }
    if !result.problems.isEmpty { throw ExitStatus.unusable }
    if !result.failures.isEmpty { throw ExitStatus.failed }
    if let minCoverage, result.coverage.percent < minCoverage {
      let percent = Int(result.coverage.percent.rounded(.down))
      print("rule coverage \(percent)% is below --min-coverage \(Int(minCoverage))%")
      throw ExitStatus.failed
    }
  }
}
