import Foundation
import Parley

/// Finds assignments to globals in rule files from `luac5.4 -l -l -p`'s
/// bytecode listing: each `SETTABUP ... ; _ENV "name"` is one, with its line.
/// Lua's own compiler is the only parser that never disagrees with Lua.
enum GlobalAssignments {
  struct Assignment: Hashable {
    var name: String
    var file: String
    var line: Int?
  }

  /// Nil when `luac5.4` is not installed.
  static func find(in files: [PluginSource.File]) -> [Assignment]? {
    guard let luac = executable("luac5.4") ?? executable("luac") else { return nil }
    var found: [Assignment] = []
    for file in files {
      guard let listing = run(luac, arguments: ["-l", "-l", "-p", "-"], input: file.text) else {
        return nil
      }
      var seen: Set<String> = []
      for line in listing.split(separator: "\n") where line.contains("SETTABUP") {
        guard let marker = line.range(of: "; _ENV \""),
          let close = line[marker.upperBound...].firstIndex(of: "\"")
        else { continue }
        let name = String(line[marker.upperBound..<close])
        let number = line.firstIndex(of: "[").flatMap { open in
          line[line.index(after: open)...].firstIndex(of: "]").flatMap {
            Int(line[line.index(after: open)..<$0])
          }
        }
        if seen.insert("\(name):\(number ?? 0)").inserted {
          found.append(Assignment(name: name, file: file.path, line: number))
        }
      }
    }
    return found.sorted { ($0.file, $0.line ?? 0) < ($1.file, $1.line ?? 0) }
  }

  private static func executable(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for directory in path.split(separator: ":") {
      let candidate = "\(directory)/\(name)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }

  private static func run(_ executable: String, arguments: [String], input: String) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let stdin = Pipe()
    let stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try? stdin.fileHandleForWriting.close()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return process.terminationStatus == 0 ? String(decoding: output, as: UTF8.self) : nil
  }
}
