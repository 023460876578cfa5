import Foundation
import Parley
import ParleyTesting
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A plugin folder with one rule file and one spec file, in a temp folder.
func writePlugin(rules: String, spec: String, events: String = "\"message_posted\"") throws -> URL {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent(
    "parley-spec-\(UUID().uuidString)")
  let plugin = root.appendingPathComponent("sample")
  try FileManager.default.createDirectory(
    at: plugin.appendingPathComponent("spec"), withIntermediateDirectories: true)
  try """
  return { name = "sample", version = "1.0.0", description = "d", events = { \(events) },
           settings = { limit = { type = "integer", default = 2, description = "d" } } }
  """.write(to: plugin.appendingPathComponent("plugin.lua"), atomically: true, encoding: .utf8)
  try rules.write(to: plugin.appendingPathComponent("rules.lua"), atomically: true, encoding: .utf8)
  try spec.write(
    to: plugin.appendingPathComponent("spec/sample_spec.lua"), atomically: true, encoding: .utf8)
  return root
}

let shoutingRules = """
  rule { id = "shouting", on = "message_posted", description = "d",
         check = function(event) if event.message.text:upper() == event.message.text then return flag("shouting") end end }
  rule { id = "never", on = "message_posted", description = "d",
         check = function(event) if event.message.text == "xyzzy" then return tag("magic") end end }
  """

let mixedSpec = """
  describe("sample", function()
    before_each(function() host.member{ id = "ada", name = "Ada" } end)
    it("flags shouting", function()
      local d = host.post{ author = "ada", text = "HELLO" }
      assert.equals("flag", d.verdict)
      assert.equals("shouting", d.rule)
    end)
    it("expects the wrong thing", function()
      local d = host.post{ author = "ada", text = "LOUD" }
      assert.equals("hold", d.verdict)
    end)
    cases({ { name = "quiet", text = "hello" }, { name = "mixed", text = "Hello" } }, "allows %s text",
      function(case)
        assert.equals("allow", host.post{ author = "ada", text = case.text }.verdict)
      end)
  end)
  """

@Suite("parley test: the spec runner and its reports")
struct SpecRunnerTests {
  @Test("passing and failing specs, with the failure's file:line and the decision's explanation")
  func passAndFail() async throws {
    let root = try writePlugin(rules: shoutingRules, spec: mixedSpec)
    let run = await SpecRunner().run(paths: [root])
    #expect(run.problems.isEmpty)
    #expect(
      run.results.map(\.spec.name) == [
        "sample flags shouting", "sample expects the wrong thing", "sample allows quiet text",
        "sample allows mixed text",
      ])
    #expect(run.failures.count == 1)
    let failure = try #require(run.failures.first?.failure)
    #expect(
      failure.location == "\(root.path)/sample/spec/sample_spec.lua:10"
        || failure.location?.hasSuffix("sample/spec/sample_spec.lua:10") == true)
    #expect(failure.message == "expected \"hold\", got \"flag\"")
    #expect(failure.explanation == "flag: shouting (sample/shouting)")
    let pretty = SpecReporter.pretty.render(run)
    #expect(pretty.contains("sample_spec.lua:10: expected \"hold\", got \"flag\""))
    #expect(pretty.contains("flag: shouting (sample/shouting)"))
    #expect(pretty.contains("3 passed, 1 failed, 4 specs"))
  }

  @Test("--filter and --fail-fast")
  func filterAndFailFast() async throws {
    let root = try writePlugin(rules: shoutingRules, spec: mixedSpec)
    var options = SpecRunner.Options()
    options.filter = "allows"
    #expect(await SpecRunner(options: options).run(paths: [root]).results.count == 2)
    options = SpecRunner.Options()
    options.failFast = true
    options.parallelism = 1
    let run = await SpecRunner(options: options).run(paths: [root])
    #expect(run.results.count == 2)
    #expect(run.failures.count == 1)
  }

  @Test("TAP output parses back to the same counts and failures")
  func tap() async throws {
    let root = try writePlugin(rules: shoutingRules, spec: mixedSpec)
    let text = SpecReporter.tap.render(await SpecRunner().run(paths: [root]))
    let lines = text.split(separator: "\n")
    #expect(lines.first == "TAP version 13")
    #expect(lines.contains("1..4"))
    #expect(lines.filter { $0.hasPrefix("ok ") }.count == 3)
    let notOk = lines.filter { $0.hasPrefix("not ok ") }
    #expect(notOk == ["not ok 2 - sample sample expects the wrong thing"])
    #expect(text.contains("  message: \"expected \\\"hold\\\", got \\\"flag\\\"\""))
  }

  @Test("JUnit XML is well formed with the right counts")
  func junit() async throws {
    let root = try writePlugin(
      rules: shoutingRules, spec: mixedSpec + "\n-- a <tag> & \"quotes\"\n")
    let xml = SpecReporter.junit.render(await SpecRunner().run(paths: [root]))
    final class Collector: NSObject, XMLParserDelegate {
      var suites: [[String: String]] = []
      var cases = 0
      var failures: [String] = []
      func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
        qualifiedName: String?,
        attributes: [String: String] = [:]
      ) {
        switch name {
        case "testsuites", "testsuite": suites.append(attributes)
        case "testcase": cases += 1
        case "failure": failures.append(attributes["message"] ?? "")
        default: break
        }
      }
    }
    let parser = XMLParser(data: Data(xml.utf8))
    let collector = Collector()
    parser.delegate = collector
    #expect(parser.parse(), "JUnit XML must be well formed: \(xml)")
    #expect(collector.suites.first?["tests"] == "4")
    #expect(collector.suites.first?["failures"] == "1")
    #expect(collector.cases == 4)
    #expect(collector.failures == ["expected \"hold\", got \"flag\""])
  }

  @Test("coverage lists a rule no spec fires, and the percentage reflects it")
  func coverage() async throws {
    let root = try writePlugin(rules: shoutingRules, spec: mixedSpec)
    let run = await SpecRunner().run(paths: [root])
    #expect(run.coverage.entries.map(\.rule.rule) == ["shouting", "never"])
    #expect(run.coverage.unfired.map(\.rule.rule) == ["never"])
    #expect(run.coverage.fired.first?.specs == 2)
    #expect(run.coverage.percent == 50)
    let text = SpecReporter.pretty.render(run, coverage: true)
    #expect(text.contains("rule coverage: 50% (1 of 2 rules fired)"))
    #expect(text.contains("sample/never"))
    #expect(text.contains("never fired"))
  }

  @Test("a spec file that does not load is a problem with file and line, and nothing runs")
  func loadProblem() async throws {
    let root = try writePlugin(
      rules: shoutingRules, spec: "describe('x', function()\n  it('y', function() end\nend)")
    let run = await SpecRunner().run(paths: [root])
    #expect(run.results.isEmpty)
    let problem = try #require(run.problems.first)
    #expect(problem.file.hasSuffix("sample/spec/sample_spec.lua"))
    #expect(problem.line == 3)
  }

  @Test("timers, consent and the scenario helpers work inside specs")
  func scenario() async throws {
    let rules = """
      rule { id = "ask", on = "message_posted", description = "d",
             check = function(event, ctx)
               return schedule("later", 30, { thread = event.message.thread }),
                      contact(ctx.member.id, "offers", "a deal")
             end }
      rule { id = "later", on = "timer_due", description = "d",
             check = function(event) return notify("support", "check " .. event.timer.data.thread) end }
      """
    let spec = """
      describe("scenario", function()
        it("fires timers and blocks offers without consent", function()
          host.member{ id = "bob", consents = { offers = false } }
          local d = host.post{ author = "bob", thread = "t9", text = "hi" }
          assert.is_true(d:was_blocked("contact", { purpose = "offers" }))
          assert.same({}, host.advance(29))
          local due = host.advance(1)
          assert.equals(1, #due)
          assert.has_effect(due[1], "notify", { team = "support", text = "check t9" })
          host.consent("bob", "offers", true)
          assert.is_true(host.post{ author = "bob", thread = "t9", text = "again" }:has("contact"))
        end)
      end)
      """
    let root = try writePlugin(
      rules: rules, spec: spec, events: "\"message_posted\", \"timer_due\"")
    let run = await SpecRunner().run(paths: [root])
    #expect(run.problems.isEmpty)
    #expect(run.failures.isEmpty, "\(run.failures.map { $0.failure?.message ?? "" })")
    #expect(run.results.count == 1)
  }

  @Test("a new plugin from the template passes its own specs at once")
  func scaffold() async throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent(
      "parley-new-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    let files = try PluginScaffold.create(name: "link-limits", in: root)
    #expect(files.count == 5)
    #expect(files.contains { $0.hasSuffix("link-limits/.luarc.json") })
    let run = await SpecRunner().run(paths: [root])
    #expect(run.passed)
    #expect(run.results.count == 2)
    #expect(run.coverage.percent == 100)
    #expect(throws: PluginScaffold.Failure.self) {
      try PluginScaffold.create(name: "link-limits", in: root)
    }
    #expect(throws: PluginScaffold.Failure.self) {
      try PluginScaffold.create(name: "Bad Name", in: root)
    }
  }
}
