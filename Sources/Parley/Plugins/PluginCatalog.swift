import Foundation
import ParleyLua

/// One plugin's manifest and rule sources, read from its folder.
public struct PluginSource: Sendable, Hashable {
  /// A rule file: its path as shown to people, and its text.
  public struct File: Sendable, Hashable {
    public var path: String
    public var text: String
  }

  public var manifest: PluginManifest
  /// The folder, as shown to people.
  public var folder: String
  /// `plugin.lua`.
  public var manifestFile: File
  /// Rule files, in the manifest's order.
  public var rules: [File]
}

/// Every plugin of a folder, as one revision.
public struct PluginCatalog: Sendable {
  public var plugins: [PluginSource]
  /// A content hash of every manifest and rule file: the revision's name.
  public var revision: String

  /// Reads every plugin folder (a folder holding `plugin.lua`) under
  /// `folder`, or the one plugin `folder` is, as `parley test` and `parley
  /// check` read a path.
  /// - Throws: ``ParleyError/pluginsFailed(_:)`` with every problem found,
  ///   each naming the plugin, file and line.
  public static func load(from folder: URL) throws(ParleyError) -> PluginCatalog {
    let fileManager = FileManager.default
    let display = PluginCatalog.displayPath(folder)
    // Checked first: Foundation on Linux lists a file as an empty folder.
    var isFolder: ObjCBool = false
    let exists = fileManager.fileExists(atPath: folder.path, isDirectory: &isFolder)
    guard exists, isFolder.boolValue,
      let entries = try? fileManager.contentsOfDirectory(
        at: folder, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])
    else {
      let reason =
        !exists
        ? "there is no such folder; check the plugins path (a folder of plugin folders)"
        : !isFolder.boolValue
          ? "this is a file, not a folder; pass the folder that holds the plugin folders"
          : "the folder cannot be read; check its permissions"
      throw .pluginsFailed([PluginProblem(plugin: "-", file: display, message: reason)])
    }
    if isPlugin(folder) { return try load(pluginFolders: [folder]) }
    return try load(
      pluginFolders: entries.filter(isPlugin).sorted { $0.lastPathComponent < $1.lastPathComponent }
    )
  }

  /// Whether a folder is a plugin: it holds `plugin.lua`.
  public static func isPlugin(_ folder: URL) -> Bool {
    FileManager.default.fileExists(atPath: folder.appendingPathComponent("plugin.lua").path)
  }

  /// The plugin folders directly inside `folder`, by name.
  public static func pluginFolders(in folder: URL) -> [URL] {
    ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil))
      ?? [])
      .filter(isPlugin).sorted { $0.lastPathComponent < $1.lastPathComponent }
  }

  /// Reads the given plugin folders (each holding `plugin.lua`).
  /// - Throws: ``ParleyError/pluginsFailed(_:)`` with every problem found.
  public static func load(pluginFolders: [URL]) throws(ParleyError) -> PluginCatalog {
    var plugins: [PluginSource] = []
    var problems: [PluginProblem] = []
    for folder in pluginFolders {
      do {
        plugins.append(try PluginSource.read(from: folder))
      } catch {
        problems.append(contentsOf: error.problems)
      }
    }
    guard problems.isEmpty else { throw .pluginsFailed(problems) }
    return PluginCatalog(plugins: plugins, revision: revisionHash(plugins))
  }

  /// A content hash over every file's path and bytes.
  static func revisionHash(_ plugins: [PluginSource]) -> String {
    var hasher = FNV1a()
    for plugin in plugins {
      hasher.mix(plugin.manifestFile.path)
      hasher.mix(plugin.manifestFile.text)
      for rule in plugin.rules {
        hasher.mix(rule.path)
        hasher.mix(rule.text)
      }
    }
    let hex = String(hasher.value, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }

  /// A path relative to the working directory when it is inside it.
  static func displayPath(_ url: URL) -> String {
    let path = url.standardizedFileURL.path
    let cwd = FileManager.default.currentDirectoryPath
    if path.hasPrefix(cwd + "/") { return String(path.dropFirst(cwd.count + 1)) }
    return path
  }
}

struct PluginProblems: Error {
  var problems: [PluginProblem]
}

/// The line where `field = ...` first appears in a manifest, if anywhere.
func line(of field: String, in text: String) -> Int? {
  for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
    let trimmed = line.drop { $0 == " " || $0 == "\t" }
    guard trimmed.hasPrefix(field) else { continue }
    let rest = trimmed.dropFirst(field.count).drop { $0 == " " || $0 == "\t" }
    if rest.hasPrefix("=") { return number + 1 }
  }
  return nil
}

extension PluginSource {
  static func read(from folder: URL) throws(PluginProblems) -> PluginSource {
    let display = PluginCatalog.displayPath(folder)
    let folderName = folder.lastPathComponent
    let manifestPath = display + "/plugin.lua"
    func problem(_ message: String, line: Int? = nil, file: String? = nil) -> PluginProblems {
      PluginProblems(problems: [
        PluginProblem(plugin: folderName, file: file ?? manifestPath, line: line, message: message)
      ])
    }
    guard
      let manifestText = try? String(
        contentsOf: folder.appendingPathComponent("plugin.lua"), encoding: .utf8)
    else { throw problem("cannot read plugin.lua as UTF-8 text") }

    let value: LuaValue
    do {
      let lua = try LuaState(
        configuration: .init(
          memoryLimit: 8 << 20, budget: LuaBudget(instructions: 1_000_000, time: .seconds(1))))
      let results = try lua.run(manifestText, chunkName: manifestPath, in: lua.makeEnvironment())
      value = results.first ?? .nil
    } catch {
      throw problem(error.message, line: error.line)
    }
    let manifest: PluginManifest
    do {
      manifest = try PluginManifest(lua: value, folderName: folderName)
    } catch {
      throw problem(error.message, line: error.field.flatMap { line(of: $0, in: manifestText) })
    }
    var rules: [File] = []
    var problems: [PluginProblem] = []
    for file in manifest.ruleFiles {
      let path = display + "/" + file
      if let text = try? String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8) {
        rules.append(File(path: path, text: text))
      } else {
        problems.append(
          PluginProblem(
            plugin: manifest.name, file: manifestPath,
            line: line(of: "rules", in: manifestText),
            message: "rule file '\(file)' is missing or not UTF-8 text; fix `rules` in plugin.lua"))
      }
    }
    guard problems.isEmpty else { throw PluginProblems(problems: problems) }
    return PluginSource(
      manifest: manifest, folder: display,
      manifestFile: File(path: manifestPath, text: manifestText), rules: rules)
  }
}
