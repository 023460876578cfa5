import Foundation
import Testing

@Suite("parley review, export-member and replay")
struct StoreCommandTests {
  /// The repository's root, where plugins/ and examples/ are.
  static var root: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }

  /// Plays the small Acme conversation (examples/conversation.jsonl, the
  /// tests' fixed history) into a new database with the demo host.
  func demoDatabase(
    play: [String] = ["examples/conversation.jsonl", "examples/community.json"]
  ) throws -> String {
    let database = try temporaryFolder().appendingPathComponent("demo.db").path
    let demo = CLI.executable.deletingLastPathComponent().appendingPathComponent("ParleyDemo")
    let process = Process()
    process.executableURL = demo
    process.arguments = ["--db", database, "--play"] + play
    process.currentDirectoryURL = Self.root
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    return database
  }

  /// Plays Acme's launch day (reviews, an appeal upheld, one overturned).
  func launchDayDatabase() throws -> String {
    try demoDatabase(play: [
      "examples/transcripts/launch-day.jsonl", "examples/communities/acme.json",
    ])
  }

  @Test("rules stats lists every rule worst first, with precision from reviews and appeals")
  func rulesStats() throws {
    let database = try launchDayDatabase()
    let result = try CLI.run(
      "rules", "stats", "--db", database, "--community", "acme", in: Self.root)
    #expect(result.status == 0, "\(result.stderr)")
    let rows = result.stdout.split(separator: "\n").map {
      $0.split(separator: " ").map(String.init)
    }
    #expect(rows.first?.first == "rule")
    // Carol's overturned appeal makes the consent rule the weakest: 3 kept of 4 judged.
    #expect(
      rows.dropFirst().first == [
        "consent/promotion-needs-permission", "4", "0", "4", "0", "0", "0", "3", "1", "0", "75%",
      ])
    #expect(result.stdout.contains("civility/blocked-words"))
    let later = try CLI.run(
      "rules", "stats", "--db", database, "--since", "2030-01-01", in: Self.root)
    #expect(later.status == 0)
    #expect(later.stdout.contains("no rule acted on the 0 decisions since 2030-01-01"))
    let bad = try CLI.run("rules", "stats", "--db", database, "--since", "tuesday", in: Self.root)
    #expect(bad.status != 0)
    #expect(bad.stderr.contains("'tuesday' is not a date"))
  }

  @Test("review resolve --all resolves every matching item, each on its own in the audit log")
  func bulkResolve() throws {
    let database = try launchDayDatabase()
    let held = try CLI.run(
      "review", "list", "--db", database, "--community", "acme", "--rule",
      "link-heavy-newcomers", in: Self.root)
    #expect(held.stdout.split(separator: "\n").filter { $0.hasPrefix("m1") }.count == 4)
    let none = try CLI.run(
      "review", "list", "--db", database, "--community", "acme", "--kind", "appeal",
      in: Self.root)
    #expect(none.stdout.contains("none of the 4 waiting items in acme match"))

    let result = try CLI.run(
      "review", "resolve", "--db", database, "--community", "acme", "--rule",
      "no-broadcast/link-heavy-newcomers", "--all", "--remove", "--moderator", "mia", "--note",
      "spam wave", in: Self.root)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("removed 4 items in acme: 4 decisions in the audit log"))
    let after = try CLI.run(
      "review", "list", "--db", database, "--community", "acme", in: Self.root)
    #expect(after.stdout.contains("nothing waiting for a moderator in acme"))
    let show = try CLI.run("review", "show", "--db", database, "m12", in: Self.root)
    #expect(show.stdout.contains("mia rejected message m12"))

    let unfiltered = try CLI.run(
      "review", "resolve", "--db", database, "--remove", "--moderator", "mia", in: Self.root)
    #expect(unfiltered.status != 0)
    #expect(unfiltered.stderr.contains("or pass --all with filters"))
  }

  @Test("review list, show and resolve on the demo's database")
  func review() throws {
    let database = try demoDatabase()
    let list = try CLI.run("review", "list", "--db", database, "--community", "acme", in: Self.root)
    #expect(list.status == 0)
    #expect(list.stdout.contains("m7"))
    #expect(list.stdout.contains("m13"))
    let filtered = try CLI.run(
      "review", "list", "--db", database, "--community", "acme", "--matching", "reported",
      in: Self.root)
    #expect(!filtered.stdout.contains("m7 "))
    #expect(filtered.stdout.contains("m13"))
    let show = try CLI.run("review", "show", "--db", database, "m13", in: Self.root)
    #expect(show.stdout.contains("reported by 3 members"))
    let resolve = try CLI.run(
      "review", "resolve", "--db", database, "m13", "--remove", "--moderator", "mia", "--note",
      "spam",
      in: Self.root)
    #expect(resolve.status == 0, "\(resolve.stderr)")
    let after = try CLI.run(
      "review", "list", "--db", database, "--community", "acme", in: Self.root)
    #expect(!after.stdout.contains("m13"))
    let missing = try CLI.run("review", "list", "--db", "/nonexistent/x.db", "--community", "acme")
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("no such database"))
  }

  @Test("export-member prints the member's data as JSON")
  func export() throws {
    let database = try demoDatabase()
    let result = try CLI.run("export-member", "--db", database, "bob", in: Self.root)
    #expect(result.status == 0)
    let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    #expect((json?["member"] as? [String: Any])?["id"] as? String == "bob")
    #expect(((json?["messages"] as? [Any])?.count ?? 0) >= 2)
    #expect(try CLI.run("export-member", "--db", database, "nobody", in: Self.root).status == 2)
  }

  @Test("replay reports no change for the same plugins")
  func replay() throws {
    let database = try demoDatabase()
    let result = try CLI.run("replay", "--db", database, in: Self.root)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("25 events replayed"))
    #expect(result.stdout.contains("0 would change, 25 unchanged"))
  }
}
