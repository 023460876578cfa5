import ArgumentParser

/// `parley`: test, check, simulate and scaffold community rules.
@main
struct ParleyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "parley",
    abstract: "Test, check and simulate Lua community rules for Parley.",
    discussion: """
      Plugins live in folders under plugins/: plugin.lua (the manifest), rule files, spec/ with
      *_spec.lua specs, and a README. Start one with `parley new plugin NAME`.
      """,
    version: "0.1.0",
    subcommands: [
      TestCommand.self, CheckCommand.self, SimulateCommand.self, NewCommand.self,
      ReviewCommand.self, RulesCommand.self,
      ExportMemberCommand.self, ReplayCommand.self, BenchCommand.self, HostCommand.self,
    ]
  )
}

/// Exit codes shared by every command.
enum ExitStatus {
  /// Something failed: a spec, a check.
  static let failed = ExitCode(1)
  /// A plugin, spec or input could not be loaded.
  static let unusable = ExitCode(2)
}
