import Foundation
import Testing

@Suite("parley bench")
struct BenchCommandTests {
  /// One row of the per-rule table, split on its runs of spaces.
  struct Row {
    var rule: String
    var calls: Int
    var share: Double
    var failures: Int
    var location: String

    init?(_ line: Substring) {
      let cells = line.split(separator: "  ").map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty }
      guard cells.count == 7, let calls = Int(cells[1]), cells[4].hasSuffix("%"),
        let share = Double(cells[4].dropLast()), let failures = Int(cells[5])
      else { return nil }
      (rule, self.calls, self.share, self.failures, location) =
        (cells[0], calls, share, failures, cells[6])
    }
  }

  @Test("the bundled plugins: every rule's cost, slowest first, with its file and line")
  func table() throws {
    let root = StoreCommandTests.root
    let result = try CLI.run(
      "bench", "plugins", "--events", "300", "--workers", "1", in: root)
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n")
    let summary = try #require(lines.first)
    #expect(summary.hasPrefix("300 events in "), "\(summary)")
    #expect(summary.contains(" s on 1 worker: ") && summary.hasSuffix(" µs/event"))
    #expect(lines.dropFirst().first?.hasPrefix("rule ") == true)
    #expect(lines.dropFirst().first?.hasSuffix("where") == true)
    #expect(lines.dropFirst(2).first?.allSatisfy { $0 == "-" || $0 == " " } == true)

    let rows = lines.dropFirst(3).map { line in (line, Row(line)) }
    for (line, row) in rows { #expect(row != nil, "not a table row: \(line)") }
    let table = rows.compactMap(\.1)
    // Every bundled plugin with a rule on posts appears, each rule once.
    let plugins = Set(table.map { $0.rule.split(separator: "/")[0] })
    #expect(plugins.isSuperset(of: ["civility", "consent", "dialogue-basics", "disclosure"]))
    #expect(Set(table.map(\.rule)).count == table.count)
    for row in table {
      #expect(row.calls == 300, "\(row.rule) ran on every post")
      #expect(row.failures == 0, "\(row.rule) failed")
      // plugins/<plugin>/<file>.lua:<line>, a file that is there.
      let plugin = row.rule.split(separator: "/")[0]
      let parts = row.location.split(separator: ":")
      #expect(parts.count == 2 && Int(parts[1]) != nil, "\(row.location)")
      #expect(row.location.hasPrefix("plugins/\(plugin)/"), "\(row.rule) at \(row.location)")
      #expect(
        FileManager.default.fileExists(atPath: root.appendingPathComponent(String(parts[0])).path))
    }
    let shares = table.map(\.share)
    #expect(shares == shares.sorted(by: >), "slowest first")
    #expect(abs(shares.reduce(0, +) - 100) < 1, "shares add up to the whole: \(shares)")
  }

  @Test("--format json: the same rules, for machines")
  func json() throws {
    let result = try CLI.run(
      "bench", "plugins", "--events", "200", "--workers", "2", "--format", "json",
      in: StoreCommandTests.root)
    #expect(result.status == 0, "\(result.stderr)")
    let run = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(run["events"] as? Int == 200)
    #expect(run["workers"] as? Int == 2)
    #expect((run["events_per_second"] as? Double ?? 0) > 0)
    let rules = try #require(run["rules"] as? [[String: Any]])
    #expect(rules.count > 20)
    for rule in rules {
      for key in ["plugin", "rule", "location"] { #expect(rule[key] is String, "\(key)") }
      for key in ["calls", "failures"] { #expect(rule[key] is Int, "\(key)") }
      for key in ["mean_microseconds", "p99_microseconds", "share"] {
        #expect(rule[key] is Double, "\(key)")
      }
    }
    let shares = rules.compactMap { $0["share"] as? Double }
    #expect(shares == shares.sorted(by: >))
    #expect(abs(shares.reduce(0, +) - 1) < 0.01)
  }

  @Test("one plugin's own folder: its rules, as `parley test` takes it")
  func onePlugin() throws {
    let result = try CLI.run(
      "bench", "plugins/civility", "--events", "100", "--workers", "1",
      in: StoreCommandTests.root)
    #expect(result.status == 0, "\(result.stderr)")
    let rows = result.stdout.split(separator: "\n").dropFirst(3).compactMap(Row.init)
    #expect(!rows.isEmpty, "\(result.stdout)")
    #expect(rows.allSatisfy { $0.rule.hasPrefix("civility/") && $0.calls == 100 }, "\(rows)")
  }

  @Test("a folder with no plugin in it exits 2 and says what to pass")
  func noPlugins() throws {
    let folder = try temporaryFolder().path
    let result = try CLI.run("bench", folder, "--events", "10")
    #expect(result.status == 2)
    #expect(result.stderr.contains("no plugins in \(folder)"), "\(result.stderr)")
    #expect(result.stderr.contains("plugin.lua"))
    #expect(result.stdout.isEmpty)
  }

  @Test("a folder that is not there exits 2 and names it")
  func missingFolder() throws {
    let folder = try temporaryFolder().appendingPathComponent("no-such-plugins").path
    let result = try CLI.run("bench", folder, "--events", "10")
    #expect(result.status == 2)
    #expect(result.stderr.contains(folder), "\(result.stderr)")
    #expect(result.stdout.isEmpty)
  }
}
