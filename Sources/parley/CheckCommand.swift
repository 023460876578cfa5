import ArgumentParser
import Foundation
import ParleyTesting

struct CheckCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Load every plugin without running events, and report what is wrong.",
    discussion: """
      Finds syntax errors, manifest errors (missing fields, bad setting types or defaults),
      duplicate rule ids, unknown events, rules no spec fires, and globals assigned in rule files.

      Example:
        parley check plugins/dialogue-basics

      Exit status: 0 when nothing is found, 1 when there are warnings, 2 when a plugin
      or spec cannot load.
      """)

  @Argument(help: "Plugin folders or a folder of plugins.")
  var paths: [String] = ["plugins"]

  func run() async throws {
    let findings = await PluginChecker.check(paths: paths.map { URL(fileURLWithPath: $0) })
    for finding in findings { print(finding) }
    let errors = findings.filter { $0.severity == .error }.count
    let warnings = findings.count - errors
    if findings.isEmpty {
      print("ok: no problems found")
      return
    }
    print(
      "\n\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
    throw errors > 0 ? ExitStatus.unusable : ExitStatus.failed
  }
}
