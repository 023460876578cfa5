import Foundation
import Parley
import ParleySQLite
import Testing

@Suite("Replay: stored history through another revision")
struct ReplayTests {
  /// Stores a short history: two plain posts, one with a link, a review.
  func history(_ fixture: Fixture) async throws {
    let clock = ManualClock()
    let (parley, _) = try await fixture.open(clock: clock)
    _ = try await parley.handle(post("m1", "hello", at: clock.now))
    clock.advance(minutes: 5)
    _ = try await parley.handle(post("m2", "see http://example.org", by: "bob", at: clock.now))
    clock.advance(minutes: 5)
    _ = try await parley.handle(post("m3", "LOUD NOISES", at: clock.now))
    _ = try await parley.resolveReview(message: "m2", outcome: .approved, moderator: "mia")
  }

  @Test("the same revision changes nothing")
  func sameRevision() async throws {
    let fixture = try Fixture()
    try await history(fixture)
    let store = try SQLiteStore(path: fixture.database)
    let before = try await store.decisions(community: "c", limit: 100).count
    let report = try await Replay.run(store: store, plugins: fixture.plugins)
    #expect(report.events == 4)
    #expect(report.differences.isEmpty, "\(report.text)")
    #expect(report.skipped.isEmpty)
    #expect(
      report.text.contains(
        "4 events replayed on revision \(report.revision): 0 would change, 4 unchanged"))
    #expect(report.groundTruth.overturned == 1)
    #expect(report.groundTruth.avoided.isEmpty && report.groundTruth.missed.isEmpty)
    #expect(
      try await store.decisions(community: "c", limit: 100).count == before, "replay writes nothing"
    )
  }

  @Test("a modified rule reports exactly the decisions it changes, old and new side by side")
  func modifiedRule() async throws {
    let fixture = try Fixture()
    try await history(fixture)
    try fixture.writeRules(
      Fixture.rules
        + """

        rule { id = "shouting", on = "message_posted", description = "d",
               check = function(event)
                 if event.message.text == event.message.text:upper() then return flag("shouting") end
               end }
        """)
    let store = try SQLiteStore(path: fixture.database)
    let report = try await Replay.run(store: store, plugins: fixture.plugins)
    #expect(report.differences.count == 1)
    let difference = try #require(report.differences.first)
    #expect(difference.stored.verdict == .allow)
    #expect(difference.replayed.verdict == .flag)
    guard case .messagePosted(let message) = difference.replayed.event else {
      Issue.record("the change is not the shouting post")
      return
    }
    #expect(message.id == "m3")
    #expect(report.text.contains("before (revision \(difference.stored.revision)):"))
    #expect(report.text.contains("flag: shouting (basic/shouting)"))
    #expect(report.text.contains("1 would change, 3 unchanged"))
  }

  @Test("ground truth: how many overturned decisions a change avoids, and confirmed ones it misses")
  func groundTruth() async throws {
    let fixture = try Fixture()
    let clock = ManualClock()
    let (parley, store) = try await fixture.open(clock: clock)
    var n = 0
    func post(_ text: String) async throws -> Decision {
      n += 1
      clock.advance(minutes: 1)
      return try await parley.handle(
        ParleySQLiteTests.post("m\(n)", text, by: "bob", at: clock.now))
    }
    func review(_ message: String, _ outcome: ReviewResolution.Outcome) async throws -> Decision {
      try await parley.resolveReview(message: message, outcome: outcome, moderator: "mia")
    }
    // m1: a docs link held, approved (overturned). m2: spam, removed (confirmed).
    // m3: a docs link removed, then overturned on appeal. m4: cheap spam, removed
    // (confirmed). m5: spam still waiting (not judged).
    #expect(try await post("the manual: http://docs.example/a").verdict == .hold)
    _ = try await review("m1", .approved)
    _ = try await post("buy now http://spam.example")
    _ = try await review("m2", .rejected)
    _ = try await post("setup guide http://docs.example/b")
    let removal = try await review("m3", .rejected)
    _ = try await parley.appeal(decision: removal.id, member: "bob", text: "it's the manual")
    _ = try await parley.resolveAppeal(decision: removal.id, outcome: .overturned, moderator: "tom")
    _ = try await post("cheap http://spam.example/cheap")
    _ = try await review("m4", .rejected)
    _ = try await post("more http://spam.example/x")

    // The change: docs links pass, and (by mistake) so does anything "cheap".
    try fixture.writeRules(
      Fixture.rules.replacingOccurrences(
        of: #"if event.message.text:find("http", 1, true) then"#,
        with: #"""
          local text = event.message.text
          if text:find("http", 1, true) and not text:find("docs.example", 1, true)
            and not text:find("cheap", 1, true) then
          """#))
    let report = try await Replay.run(store: store, plugins: fixture.plugins, community: "c")
    #expect(report.skipped.isEmpty, "\(report.text)")
    #expect(report.groundTruth.overturned == 2)
    #expect(report.groundTruth.avoided.compactMap(\.messageID) == ["m1", "m3"])
    #expect(report.groundTruth.confirmed == 2)
    #expect(report.groundTruth.missed.compactMap(\.messageID) == ["m4"])
    #expect(
      report.text.contains(
        "ground truth: moderators overturned 2 of the replayed decisions; this revision would avoid 2 of them. They confirmed 2; it would miss 1."
      ))
    #expect(report.text.contains("misses confirmed: message m4 posted by bob (basic/links)"))
  }

  @Test("--since replays only the later events, with earlier messages as history")
  func since() async throws {
    let fixture = try Fixture()
    try await history(fixture)
    let store = try SQLiteStore(path: fixture.database)
    let all = try await store.history(community: "c", since: nil)
    let report = try await Replay.run(
      store: store, plugins: fixture.plugins, community: "c", since: all[2].decidedAt)
    #expect(report.events == 2)
    #expect(report.skipped.isEmpty, "\(report.text)")
  }
}
