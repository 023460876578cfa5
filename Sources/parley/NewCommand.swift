import ArgumentParser
import Foundation
import ParleyTesting

struct NewCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "new",
    abstract: "Create a new plugin from a template.",
    discussion: """
      Example:
        parley new plugin link-limits     writes plugins/link-limits/ with a rule and a passing spec
      """)

  enum Kind: String, ExpressibleByArgument, CaseIterable {
    case plugin
  }

  @Argument(help: "What to create: plugin.")
  var kind: Kind

  @Argument(help: "The plugin's name: lower-case letters, digits and hyphens.")
  var name: String

  @Option(help: "The folder of plugins to create it in.")
  var into: String = "plugins"

  func run() throws {
    do {
      let files = try PluginScaffold.create(name: name, in: URL(fileURLWithPath: into))
      for file in files { print("created \(file)") }
      print("next: parley test \(into)/\(name)")
    } catch {
      throw ValidationError(error.description)
    }
  }
}
