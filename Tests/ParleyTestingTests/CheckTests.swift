import Foundation
import ParleyTesting
import Testing

/// A plugin folder "p" with the given files, inside a fresh temp folder.
func writeFiles(_ files: [String: String]) throws -> URL {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent(
    "parley-check-\(UUID().uuidString)")
  for (path, text) in files {
    let url = root.appendingPathComponent("p").appendingPathComponent(path)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: url, atomically: true, encoding: .utf8)
  }
  return root
}

let goodManifest = """
  return {
    name = "p", version = "1.0.0", description = "d",
    events = { "message_posted" },
    settings = {
      limit = { type = "integer", default = 2, description = "d" },
    },
  }
  """

let firingSpec = """
  describe("p", function()
    it("fires", function()
      host.member{ id = "ada" }
      assert.equals("flag", host.post{ author = "ada", text = "x" }.verdict)
    end)
  end)
  """

let goodRule = """
  rule { id = "always", on = "message_posted", description = "d", check = function() return flag("x") end }
  """

@Suite("parley check")
struct CheckTests {
  func findings(_ files: [String: String]) async throws -> [CheckFinding] {
    await PluginChecker.check(paths: [try writeFiles(files)])
  }

  @Test("a clean plugin has no findings")
  func clean() async throws {
    #expect(
      try await findings([
        "plugin.lua": goodManifest, "rules.lua": goodRule, "spec/p_spec.lua": firingSpec,
      ])
      .isEmpty)
  }

  @Test("a syntax error, with its file and line")
  func syntax() async throws {
    let found = try await findings([
      "plugin.lua": goodManifest,
      "rules.lua": "rule {\n  id = 'a',\n  check = function() if then end,\n}",
    ])
    let finding = try #require(found.first)
    #expect(finding.severity == .error)
    #expect(finding.file.hasSuffix("p/rules.lua"))
    #expect(finding.line == 3)
    #expect(finding.message.contains("unexpected symbol near 'then'"))
    #expect(finding.hint.contains("syntax error"))
  }

  @Test(
    "manifest errors point at the field's line",
    arguments: [
      (
        goodManifest.replacingOccurrences(of: "version = \"1.0.0\", ", with: ""), nil as Int?,
        "missing `version`"
      ),
      (
        goodManifest.replacingOccurrences(of: "type = \"integer\"", with: "type = \"float\""), 5,
        "needs a `type`"
      ),
      (
        goodManifest.replacingOccurrences(of: "default = 2", with: "default = \"two\""), 5,
        "`default` of type integer"
      ),
      (
        goodManifest.replacingOccurrences(of: "\"message_posted\"", with: "\"message_deleted\""), 3,
        "unknown event"
      ),
    ])
  func manifest(text: String, line: Int?, message: String) async throws {
    let found = try await findings(["plugin.lua": text, "rules.lua": goodRule])
    let finding = try #require(found.first)
    #expect(finding.severity == .error)
    #expect(finding.file.hasSuffix("p/plugin.lua"))
    #expect(finding.line == line)
    #expect(finding.message.contains(message), "\(finding.message)")
  }

  @Test("a duplicate rule id and an unknown event, at the rule's line")
  func ruleErrors() async throws {
    let duplicate = try await findings([
      "plugin.lua": goodManifest, "rules.lua": goodRule + "\n" + goodRule,
    ])
    #expect(duplicate.first?.line == 2)
    #expect(duplicate.first?.message.contains("'always' is already declared") == true)
    let unknown = try await findings([
      "plugin.lua": goodManifest,
      "rules.lua":
        "\nrule { id = 'a', on = 'message_deleted', description = 'd', check = function() end }",
    ])
    #expect(unknown.first?.line == 2)
    #expect(unknown.first?.message.contains("unknown event 'message_deleted'") == true)
  }

  @Test("a rule no spec fires, and a global assigned in a rule file, are warnings with lines")
  func warnings() async throws {
    let found = try await findings([
      "plugin.lua": goodManifest,
      "rules.lua": goodRule
        + "\ncounter = 0\nrule { id = 'quiet', on = 'message_posted', description = 'd',\n  check = function() total = 1 end }",
      "spec/p_spec.lua": firingSpec,
    ])
    #expect(found.allSatisfy { $0.severity == .warning })
    let global = try #require(found.first { $0.message.contains("'counter'") })
    #expect(global.file.hasSuffix("p/rules.lua"))
    #expect(global.line == 2)
    // Also inside a function, where only the compiler can see it.
    let inner = try #require(found.first { $0.message.contains("'total'") })
    #expect(inner.line == 4)
    let unfired = try #require(found.first { $0.message.contains("'quiet' is not fired") })
    #expect(unfired.file.hasSuffix("p/rules.lua"))
    #expect(unfired.line == 3)
  }
}
