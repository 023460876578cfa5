import Foundation
import Testing

/// Runs the built `parley` executable and captures what it prints.
struct CLI {
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  static var executable: URL {
    // The test bundle and the executables are built into the same folder.
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("parley")
  }

  static func run(_ arguments: String..., in directory: URL? = nil) throws -> Result {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
      stderr: String(decoding: stderr, as: UTF8.self))
  }
}

func temporaryFolder() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent(
    "parley-cli-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

@Suite("the parley command line")
struct CLITests {
  @Test("--version and --help with an example for every command")
  func help() throws {
    #expect(
      try CLI.run("--version").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
    for command in ["test", "check", "simulate", "new"] {
      let help = try CLI.run(command, "--help")
      #expect(help.status == 0)
      #expect(help.stdout.contains("parley \(command)"), "\(command) --help shows an example")
    }
  }

  @Test("new plugin, then test and check pass at once")
  func newThenTest() throws {
    let folder = try temporaryFolder()
    let created = try CLI.run("new", "plugin", "link-limits", "--into", folder.path)
    #expect(created.status == 0)
    #expect(created.stdout.contains("link-limits/plugin.lua"))
    let test = try CLI.run("test", folder.path, "--no-color")
    #expect(test.status == 0, "\(test.stdout)")
    #expect(test.stdout.contains("2 passed, 0 failed"))
    let check = try CLI.run("check", folder.path)
    #expect(check.status == 0, "\(check.stdout)")
  }

  @Test("a failing spec exits 1 and shows its file:line and the decision")
  func failing() throws {
    let folder = try temporaryFolder()
    _ = try CLI.run("new", "plugin", "sample", "--into", folder.path)
    let spec = folder.appendingPathComponent("sample/spec/sample_spec.lua")
    let text = try String(contentsOf: spec, encoding: .utf8)
      .replacingOccurrences(
        of: "assert.equals(\"flag\", d.verdict)", with: "assert.equals(\"remove\", d.verdict)")
    try text.write(to: spec, atomically: true, encoding: .utf8)
    let result = try CLI.run("test", folder.path, "--no-color")
    #expect(result.status == 1)
    #expect(
      result.stdout.contains("sample_spec.lua:13: expected \"remove\", got \"flag\""),
      "\(result.stdout)")
    #expect(result.stdout.contains("flag: more than 2 links in one message (sample/first-rule)"))

    let report = folder.appendingPathComponent("report.xml")
    let junit = try CLI.run("test", folder.path, "--reporter", "junit", "--output", report.path)
    #expect(junit.status == 1)
    #expect(try String(contentsOf: report, encoding: .utf8).contains("failures=\"1\""))
  }

  @Test("--min-coverage fails a run that leaves a rule unfired")
  func minCoverage() throws {
    let folder = try temporaryFolder()
    _ = try CLI.run("new", "plugin", "sample", "--into", folder.path)
    let rules = folder.appendingPathComponent("sample/rules.lua")
    try
      (try String(contentsOf: rules, encoding: .utf8)
      + "\nrule { id = \"quiet\", on = \"message_posted\", description = \"d\", check = function() end }\n")
      .write(to: rules, atomically: true, encoding: .utf8)
    let result = try CLI.run("test", folder.path, "--min-coverage", "100", "--no-color")
    #expect(result.status == 1)
    #expect(result.stdout.contains("rule coverage: 50% (1 of 2 rules fired)"))
    #expect(result.stdout.contains("sample/quiet"))
    #expect(result.stdout.contains("below --min-coverage 100%"))
  }

  @Test("a plugin that does not load exits 2 from test and check, naming file and line")
  func unloadable() throws {
    let folder = try temporaryFolder()
    _ = try CLI.run("new", "plugin", "sample", "--into", folder.path)
    try "rule {\n  id = 'x',\n  check = function() if then end }\n".write(
      to: folder.appendingPathComponent("sample/rules.lua"), atomically: true, encoding: .utf8)
    let test = try CLI.run("test", folder.path, "--no-color")
    #expect(test.status == 2)
    #expect(test.stdout.contains("sample/rules.lua:3: unexpected symbol near 'then'"))
    let check = try CLI.run("check", folder.path)
    #expect(check.status == 2)
    #expect(check.stdout.contains("sample/rules.lua:3: error: unexpected symbol near 'then'"))
  }

  @Test("test given a file that is not a spec says what to pass instead")
  func notASpec() throws {
    let result = try CLI.run(
      "test", "plugins/civility/plugin.lua", "--no-color", in: StoreCommandTests.root)
    #expect(result.status == 2)
    #expect(
      result.stdout.contains("plugins/civility/plugin.lua: not a spec file: pass a spec"),
      "\(result.stdout)")
  }

  @Test("simulate reports a malformed line with its number and exits 2")
  func simulateMalformed() throws {
    let folder = try temporaryFolder()
    let transcript = folder.appendingPathComponent("talk.jsonl")
    try """
    {"at":"2025-06-02T09:00:00Z","kind":"join","member":"nick"}
    {"at":"2025-06-02T09:05:00Z","kind":"post","id":"m1",
    """.write(to: transcript, atomically: true, encoding: .utf8)
    let result = try CLI.run("simulate", transcript.path)
    #expect(result.status == 2)
    #expect(result.stderr.contains("talk.jsonl:2: not a transcript line"), "\(result.stderr)")
  }
}
