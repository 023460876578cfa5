import Foundation
import ParleyTesting
import Testing

/// The docs promise functions to rule authors; these tests hold the code to it.
@Suite("Docs match the code")
struct DocsTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// Every `name(` or `module.name(` in a code span or block of the page.
  static func documentedCalls(in page: String) throws -> Set<String> {
    let text = try String(contentsOf: root.appendingPathComponent(page), encoding: .utf8)
    let regex = try NSRegularExpression(pattern: #"(?<![\w.:])([a-z_]+(?:\.[a-z_]+)?)(?:\(| ?\{)"#)
    var names: Set<String> = []
    // Only inside code: `spans` and ``` blocks.
    let code = try NSRegularExpression(pattern: #"```[\s\S]*?```|`[^`\n]+`"#)
    for block in code.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
      let snippet = (text as NSString).substring(with: block.range)
      for match in regex.matches(in: snippet, range: NSRange(snippet.startIndex..., in: snippet)) {
        names.insert((snippet as NSString).substring(with: match.range(at: 1)))
      }
    }
    return names
  }

  /// Lua that raises `MISSING[...]` listing the names that are not functions here.
  static func probe(_ names: [String]) -> String {
    """
    local missing = {}
    for _, name in ipairs({ \(names.map { "\"\($0)\"" }.joined(separator: ", ")) }) do
      local ok, value = pcall(function()
        local v = _ENV
        for part in name:gmatch("[^.]+") do v = v[part] end
        return v
      end)
      if not ok or type(value) ~= "function" then missing[#missing + 1] = name end
    end
    error("MISSING[" .. table.concat(missing, ",") .. "]")
    """
  }

  static func missing(in message: String) -> Set<String> {
    guard let open = message.range(of: "MISSING["),
      let close = message[open.upperBound...].firstIndex(of: "]")
    else { return [] }
    return Set(message[open.upperBound..<close].split(separator: ",").map(String.init))
  }

  @Test("every function rules.md and testing.md show exists for rules or for specs")
  func documentedFunctionsExist() async throws {
    // Lua's own functions and keywords used as calls in examples are not Parley's to check.
    let lua: Set<String> = [
      "function", "ipairs", "pairs", "type", "tostring", "tonumber", "pcall", "error", "select",
      "setmetatable", "getmetatable", "rawget", "rawlen", "rawequal", "next", "xpcall",
      "if", "return", "and", "or", "not",
    ]
    var names = try Self.documentedCalls(in: "docs/rules.md").union(
      Self.documentedCalls(in: "docs/testing.md"))
    names = names.filter { name in
      !lua.contains(name) && !name.hasPrefix("string.") && !name.hasPrefix("table.")
        && !name.hasPrefix("math.") && !name.hasPrefix("utf8.") && !name.hasPrefix("text.")
        && !name.hasPrefix("event.") && !name.hasPrefix("ctx.") && !name.hasPrefix("d.")
    }
    // Names the docs list as refused by the sandbox must be refused, not present.
    let refused: Set<String> = [
      "print", "require", "load", "loadfile", "dofile", "collectgarbage", "rawset", "string.dump",
    ]
    names.subtract(refused)
    #expect(names.contains("flag") && names.contains("state.incr") && names.contains("host.post"))

    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "parley-docs-\(UUID().uuidString)")
    let sorted = names.sorted()
    func write(_ plugin: String, rules: String, spec: String) throws {
      let dir = folder.appendingPathComponent(plugin)
      try FileManager.default.createDirectory(
        at: dir.appendingPathComponent("spec"), withIntermediateDirectories: true)
      try
        "return { name = \"\(plugin)\", version = \"1\", description = \"d\", events = { \"message_posted\" } }"
        .write(to: dir.appendingPathComponent("plugin.lua"), atomically: true, encoding: .utf8)
      try rules.write(
        to: dir.appendingPathComponent("rules.lua"), atomically: true, encoding: .utf8)
      try spec.write(
        to: dir.appendingPathComponent("spec/probe_spec.lua"), atomically: true, encoding: .utf8)
    }
    let noop =
      "rule { id = \"x\", on = \"message_posted\", description = \"d\", check = function() end }"
    try write("in-rules", rules: Self.probe(sorted), spec: "")
    try write("in-specs", rules: noop, spec: Self.probe(sorted))

    let rules = await SpecRunner().run(paths: [folder.appendingPathComponent("in-rules")])
    let specs = await SpecRunner().run(paths: [folder.appendingPathComponent("in-specs")])
    let missingForRules = Self.missing(in: rules.problems.map(\.message).joined())
    let missingForSpecs = Self.missing(in: specs.problems.map(\.message).joined())
    #expect(!rules.problems.isEmpty && !specs.problems.isEmpty, "the probes must report")
    let missing = missingForRules.intersection(missingForSpecs)
    #expect(missing.isEmpty, "documented but not defined: \(missing.sorted())")

    // And every refused name really is refused.
    try write("refused", rules: Self.probe(refused.sorted()), spec: "")
    let refusedRun = await SpecRunner().run(paths: [folder.appendingPathComponent("refused")])
    #expect(Self.missing(in: refusedRun.problems.map(\.message).joined()) == refused)
  }

  /// The cookbook shows each recipe's rule file; the page and the folder
  /// must not drift, and every recipe must be proven by its specs.
  @Test func cookbookRecipesMatchTheirFilesAndPassTheirSpecs() async throws {
    let page = try String(
      contentsOf: Self.root.appendingPathComponent("docs/cookbook.md"), encoding: .utf8)
    let block = try NSRegularExpression(
      pattern: #"File: (examples/cookbook/[^\n]+)\n+```lua\n([\s\S]*?)```"#)
    var shown: Set<String> = []
    for match in block.matches(in: page, range: NSRange(page.startIndex..., in: page)) {
      let path = (page as NSString).substring(with: match.range(at: 1))
      let code = (page as NSString).substring(with: match.range(at: 2))
      let file = try String(contentsOf: Self.root.appendingPathComponent(path), encoding: .utf8)
      #expect(code == file, "docs/cookbook.md shows \(path) differently from the file")
      shown.insert(path.split(separator: "/")[2].description)
    }
    let folder = Self.root.appendingPathComponent("examples/cookbook")
    let recipes = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { !$0.hasPrefix(".") }
    #expect(recipes.count >= 12, "the cookbook promises at least 12 recipes")
    #expect(
      Set(recipes) == shown,
      "recipes not shown in docs/cookbook.md: \(Set(recipes).subtracting(shown).sorted())")

    let run = await SpecRunner().run(paths: [folder])
    #expect(run.problems.isEmpty, "\(run.problems.map(\.message))")
    #expect(run.passed && run.results.count >= recipes.count, "\(run.failures.map(\.spec))")
    #expect(run.coverage.unfired.isEmpty, "recipes' rules no spec fires: \(run.coverage.unfired)")
  }
}
