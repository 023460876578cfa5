import Foundation
import Parley
import ParleyPostgres
import Testing

@Suite("the CLI on a PostgreSQL database", .enabled(if: TestDatabase.available))
struct PostgresCLITests {
  func parley(_ arguments: String...) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = HostProcess.executable
    process.arguments = arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  @Test("a review held on one host is listed and resolved from another, and replay reads the log")
  func reviewAcrossHosts() async throws {
    let url = TestDatabase.freshURL()
    let plugins = try Witness.pluginFolder()
    try await TestDatabase.withStore(url: url) { store in
      try await Witness.prepare(store, members: 2, threads: 1)
      let host = try await Parley(
        plugins: plugins, store: store, configuration: .init(workers: 1),
        logger: TestDatabase.quiet)
      let held = try await host.handle(
        .messagePosted(
          Message(id: "m1", thread: "t0", author: "u1", text: "please hold me", createdAt: Date())))
      #expect(held.verdict == .hold)

      let list = try parley("review", "list", "--db", url, "--community", Witness.community)
      #expect(list.status == 0, "\(list.output)")
      #expect(list.output.contains("m1  held"), "\(list.output)")
      #expect(list.output.contains("witness/hold-on-request"))

      let resolve = try parley(
        "review", "resolve", "--db", url, "m1", "--approve", "--moderator", "mia")
      #expect(resolve.status == 0, "\(resolve.output)")
      #expect(try await store.pendingReviews(community: Witness.community).isEmpty)
      let last = try await store.decisions(community: Witness.community, limit: 1).first
      #expect(last?.event.kind == .reviewResolved, "the other host's answer is in this host's log")

      let stats = try parley("rules", "stats", "--db", url)
      #expect(stats.output.contains("witness/hold-on-request"), "\(stats.output)")
      let replay = try parley("replay", "--db", url, "--plugins", plugins.path)
      #expect(replay.status == 0, "\(replay.output)")
      #expect(replay.output.contains("2 events replayed"), "\(replay.output)")
      #expect(replay.output.contains("0 would change"), "\(replay.output)")

      let bad = try parley(
        "review", "list", "--db", "postgres://nobody@127.0.0.1:1/x", "--community", "c")
      #expect(bad.status == 2)
      #expect(bad.output.contains("PostgreSQL failed while"), "\(bad.output)")
    }
  }
}
