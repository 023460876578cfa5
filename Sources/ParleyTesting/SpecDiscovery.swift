import Foundation
import Parley

/// Turns the paths given to `parley test` into plugins and their spec files.
enum SpecDiscovery {
  static func targets(for paths: [URL], problems: inout [SpecProblem]) -> [SpecRunner.Target] {
    var targets: [SpecRunner.Target] = []
    let fileManager = FileManager.default
    for path in paths {
      var isDirectory: ObjCBool = false
      guard fileManager.fileExists(atPath: path.path, isDirectory: &isDirectory) else {
        problems.append(SpecProblem(file: path.relativePath, message: "no such file or folder"))
        continue
      }
      if !isDirectory.boolValue && !path.lastPathComponent.hasSuffix("_spec.lua") {
        problems.append(
          SpecProblem(
            file: path.relativePath,
            message:
              "not a spec file: pass a spec (<plugin>/spec/<name>_spec.lua), a plugin folder or a folder of plugins"
          ))
      } else if !isDirectory.boolValue {
        // A spec file: plugins/<name>/spec/<file>_spec.lua
        let plugin = path.deletingLastPathComponent().deletingLastPathComponent()
        if let target = target(plugin: plugin, only: path, problems: &problems) {
          targets.append(target)
        }
      } else if PluginCatalog.isPlugin(path) {
        if let target = target(plugin: path, only: nil, problems: &problems) {
          targets.append(target)
        }
      } else {
        let children = PluginCatalog.pluginFolders(in: path)
        if children.isEmpty {
          problems.append(
            SpecProblem(
              file: path.relativePath,
              message:
                "no plugins here: a plugin is a folder with plugin.lua (create one with `parley new plugin NAME`)"
            ))
        }
        for child in children {
          if let target = target(plugin: child, only: nil, problems: &problems) {
            targets.append(target)
          }
        }
      }
    }
    return targets
  }

  private static func target(plugin folder: URL, only file: URL?, problems: inout [SpecProblem])
    -> SpecRunner.Target?
  {
    let catalog: PluginCatalog
    do {
      catalog = try PluginCatalog.load(pluginFolders: [folder])
    } catch {
      if case .pluginsFailed(let found) = error {
        problems.append(
          contentsOf: found.map { SpecProblem(file: $0.file, line: $0.line, message: $0.message) })
      } else {
        problems.append(SpecProblem(file: folder.relativePath, message: "\(error)"))
      }
      return nil
    }
    guard let plugin = catalog.plugins.first else { return nil }
    let specFolder = folder.appendingPathComponent("spec")
    let files: [URL]
    if let file {
      files = [file]
    } else {
      files =
        ((try? FileManager.default.contentsOfDirectory(
          at: specFolder, includingPropertiesForKeys: nil)) ?? [])
        .filter { $0.lastPathComponent.hasSuffix("_spec.lua") }
        .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
    var specs: [(String, String)] = []
    for url in files {
      let display = plugin.folder + "/spec/" + url.lastPathComponent
      guard let text = try? String(contentsOf: url, encoding: .utf8) else {
        problems.append(
          SpecProblem(file: display, message: "cannot read the spec file as UTF-8 text"))
        continue
      }
      specs.append((display, text))
    }
    return SpecRunner.Target(catalog: catalog, plugin: plugin.manifest.name, specFiles: specs)
  }
}
