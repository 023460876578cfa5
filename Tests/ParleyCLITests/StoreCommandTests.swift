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
  func demoDatabase() throws -> String {
    let database = try temporaryFolder().appendingPathComponent("demo.db").path
    let demo = CLI.executable.deletingLastPathComponent().appendingPathComponent("ParleyDemo")
    let process = Process()
    process.executableURL = demo
    process.arguments = [
      "--db", database, "--play", "examples/conversation.jsonl", "examples/community.json",
    ]
    process.currentDirectoryURL = Self.root
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    return database
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
