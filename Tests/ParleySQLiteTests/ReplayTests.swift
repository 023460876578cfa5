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
      report.text.hasSuffix(
        "4 events replayed on revision \(report.revision): 0 would change, 4 unchanged"))
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
