import Foundation
import Parley

/// One thing `parley check` found.
public struct CheckFinding: Sendable, Hashable, CustomStringConvertible {
  public enum Severity: String, Sendable {
    /// The plugin cannot load: nothing of it can run.
    case error
    /// The plugin loads, but something is likely wrong or unproven.
    case warning
  }

  public var severity: Severity
  public var plugin: String
  public var file: String
  public var line: Int?
  public var message: String
  /// What to do about it.
  public var hint: String

  public var description: String {
    "\(file)\(line.map { ":\($0)" } ?? ""): \(severity.rawValue): \(message)\n  hint: \(hint)"
  }
}

/// Loads plugins without running events and reports what is wrong with them.
public enum PluginChecker {
  /// Checks every plugin under `paths` (a folder of plugins or plugin folders).
  public static func check(paths: [URL]) async -> [CheckFinding] {
    var findings: [CheckFinding] = []
    for folder in pluginFolders(paths, findings: &findings) {
      findings += await check(plugin: folder)
    }
    return findings
  }

  static func check(plugin folder: URL) async -> [CheckFinding] {
    let name = folder.lastPathComponent
    let catalog: PluginCatalog
    do {
      catalog = try PluginCatalog.load(pluginFolders: [folder])
    } catch {
      return problems(of: error, plugin: name)
    }
    let engine: SpecEngine
    do {
      engine = try SpecEngine(catalog: catalog)
    } catch {
      return problems(of: error, plugin: name)
    }
    var findings: [CheckFinding] = []
    let sources = catalog.plugins.first?.rules ?? []
    // Every assignment to a global, also inside functions, from the bytecode
    // listing; without luac, the globals the files left behind after loading.
    let assignments =
      GlobalAssignments.find(in: sources)
      ?? (engine.definedGlobals[name] ?? []).map { global in
        let (file, line) = definition(of: global, in: sources)
        return GlobalAssignments.Assignment(
          name: global, file: file ?? catalog.plugins[0].folder, line: line)
      }
    for assignment in assignments {
      findings.append(
        CheckFinding(
          severity: .warning, plugin: name, file: assignment.file, line: assignment.line,
          message: "'\(assignment.name)' is assigned as a global",
          hint:
            "make it local (`local \(assignment.name) = ...` or `local function \(assignment.name)`): "
            + "globals are shared by every rule of the plugin and usually a typo"))
    }
    let run = await SpecRunner().run(paths: [folder])
    for problem in run.problems {
      findings.append(
        CheckFinding(
          severity: .error, plugin: name, file: problem.file, line: problem.line,
          message: problem.message,
          hint: "fix the spec file so `parley test` can load it"))
    }
    if run.problems.isEmpty {
      for entry in run.coverage.unfired {
        findings.append(
          CheckFinding(
            severity: .warning, plugin: name, file: entry.rule.location.chunkPart,
            line: entry.rule.location.linePart,
            message: "rule '\(entry.rule.rule)' is not fired by any spec",
            hint: "add an it(...) in spec/ where this rule proposes something"))
      }
    }
    return findings
  }

  private static func problems(of error: ParleyError, plugin: String) -> [CheckFinding] {
    guard case .pluginsFailed(let problems) = error else {
      return [
        CheckFinding(severity: .error, plugin: plugin, file: plugin, message: "\(error)", hint: "")
      ]
    }
    return problems.map { problem in
      CheckFinding(
        severity: .error, plugin: problem.plugin, file: problem.file, line: problem.line,
        message: problem.message, hint: hint(for: problem))
    }
  }

  static func hint(for problem: PluginProblem) -> String {
    let message = problem.message
    if message.contains("near") || message.contains("expected") && message.contains("'") {
      return
        "a syntax error: check the line and the one before it (a missing `end`, `then` or comma)"
    }
    if message.contains("already declared") { return "give each rule its own id" }
    if message.contains("unknown event") {
      return "events are: " + Event.Kind.allCases.map(\.rawValue).joined(separator: ", ")
    }
    if message.contains("setting") {
      return "a setting is { type = ..., default = ..., description = ... }"
    }
    if problem.file.hasSuffix("plugin.lua") {
      return "see docs/rules.md for the manifest's fields"
    }
    return "see docs/rules.md"
  }

  /// Where `name` is assigned at the start of a line, or defined as a function.
  static func definition(of name: String, in files: [PluginSource.File]) -> (String?, Int?) {
    for file in files {
      for (number, line) in file.text.split(separator: "\n", omittingEmptySubsequences: false)
        .enumerated()
      {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        if trimmed.hasPrefix("function \(name)") || trimmed.hasPrefix("function \(name)(") {
          return (file.path, number + 1)
        }
        if trimmed.hasPrefix(name) {
          let rest = trimmed.dropFirst(name.count).drop { $0 == " " || $0 == "\t" }
          if rest.hasPrefix("=") && !rest.hasPrefix("==") { return (file.path, number + 1) }
        }
      }
    }
    return (files.first?.path, nil)
  }

  static func pluginFolders(_ paths: [URL], findings: inout [CheckFinding]) -> [URL] {
    var folders: [URL] = []
    for path in paths {
      if PluginCatalog.isPlugin(path) {
        folders.append(path)
        continue
      }
      let children = PluginCatalog.pluginFolders(in: path)
      if children.isEmpty {
        findings.append(
          CheckFinding(
            severity: .error, plugin: "-", file: path.relativePath,
            message: "no plugins here",
            hint: "a plugin is a folder with plugin.lua; try `parley new plugin NAME`"))
      }
      folders += children
    }
    return folders
  }
}

extension String {
  /// The file of a `file:line` location.
  var chunkPart: String {
    guard let colon = lastIndex(of: ":"), Int(self[index(after: colon)...]) != nil else {
      return self
    }
    return String(self[..<colon])
  }

  /// The line of a `file:line` location.
  var linePart: Int? {
    guard let colon = lastIndex(of: ":") else { return nil }
    return Int(self[index(after: colon)...])
  }
}
