import Foundation
import Parley
import Testing

/// Two plugins whose rules hold for plain reasons, and a report rule that
/// holds a reported message from its second report on.
private let plugins = [
  PluginFixture(
    name: "links", events: ["message_posted"],
    files: [
      "links.lua": """
      rule { id = "no-links", title = "No links", on = "message_posted",
             description = "Posts with links wait for a moderator",
             check = function(event)
               if event.message.text:find("http", 1, true) then return hold("a link") end
             end }
      """
    ]),
  PluginFixture(
    name: "words", events: ["message_posted", "report_filed"],
    files: [
      "words.lua": """
      rule { id = "no-rude", title = "Be kind", on = "message_posted",
             description = "Rude words wait for a moderator",
             check = function(event)
               if event.message.text:find("rude", 1, true) then return hold("a rude word") end
             end }
      rule { id = "reports", title = "Reports", on = "report_filed",
             description = "Reported posts wait for a moderator",
             check = function(event)
               local n = state.incr("reports:" .. event.report.message, 1)
               if n >= 2 then return hold(n .. " reports") end
             end }
      """
    ]),
]

@Suite("The review queue: grouping, filters and bulk triage")
struct QueueTests {
  @Test("fifty reports about one message are one item with every reporter")
  func surgeOnOneMessage() async throws {
    let host = try await TestHost.make(plugins)
    _ = try await host.post("an ordinary post", by: "bob", id: "m-target")
    for i in 1...50 {
      _ = try await host.parley.handle(
        .reportFiled(Report(message: "m-target", reporter: "r\(i)", reason: "spam")))
    }
    let queue = try await host.parley.reviewQueue(community: TestHost.community)
    #expect(queue.count == 1)
    let item = try #require(queue.first)
    #expect(item.kind == .reported)
    #expect(item.member == "bob")
    #expect(item.reviews.map(\.message) == ["m-target"])
    // The first report did not hold it; the other 49 joined one item.
    #expect(item.reporters == (2...50).map { "r\($0)" })
    #expect(item.rules.map(\.name) == ["words/reports"])
    #expect(item.reasons.count == 49)
  }

  @Test("reports about several messages of one member are one item; held posts stay separate")
  func surgeOnOneMember() async throws {
    let host = try await TestHost.make(plugins)
    for id in ["b1", "b2", "b3"] { _ = try await host.post("post \(id)", by: "bob", id: id) }
    _ = try await host.post("my post", by: "ada", id: "a1")
    for message in ["b1", "b2", "b3", "a1"] {
      for reporter in ["x", "y"] {
        _ = try await host.parley.handle(
          .reportFiled(Report(message: message, reporter: reporter, reason: "bad")))
      }
    }
    _ = try await host.post("see http://x.example", by: "bob", id: "b-link")
    let queue = try await host.parley.reviewQueue(community: TestHost.community)
    #expect(queue.map(\.kind) == [.reported, .reported, .held])
    #expect(queue[0].member == "bob")
    #expect(queue[0].reviews.map(\.message) == ["b1", "b2", "b3"])
    #expect(queue[1].reviews.map(\.message) == ["a1"])
    #expect(queue[2].id == "b-link")
  }

  @Test("filters by plugin, rule, member, age and kind")
  func filters() async throws {
    let host = try await TestHost.make(plugins)
    _ = try await host.post("see http://a.example", by: "ada", id: "old-link")
    host.clock.advance(minutes: 180)
    _ = try await host.post("rude and http://b.example", by: "bob", id: "both")
    _ = try await host.post("rude", by: "bob", id: "rude")
    let appealed = try await host.post("rude again", by: "ada", id: "rude-ada")
    _ = try await host.parley.appeal(decision: appealed.id, member: "ada", text: "context!")

    func ids(_ filter: QueueFilter) async throws -> [String] {
      try await host.parley.reviewQueue(community: TestHost.community, filter: filter).map(\.id)
    }
    #expect(try await ids(QueueFilter()) == ["old-link", "both", "rude", "rude-ada", appealed.id])
    #expect(try await ids(QueueFilter(plugin: "links")) == ["old-link", "both"])
    #expect(
      try await ids(QueueFilter(rule: "words/no-rude")) == [
        "both", "rude", "rude-ada", appealed.id,
      ])
    #expect(try await ids(QueueFilter(rule: "no-rude", member: "bob")) == ["both", "rude"])
    #expect(try await ids(QueueFilter(olderThan: 2 * 3600)) == ["old-link"])
    #expect(try await ids(QueueFilter(kinds: [.appeal])) == [appealed.id])
    #expect(
      try await ids(QueueFilter(rule: "no-rude", kinds: [.held])) == ["both", "rude", "rude-ada"])
  }

  @Test("resolving by rule records every message on its own and leaves the rest")
  func bulkResolve() async throws {
    let host = try await TestHost.make(plugins)
    for i in 1...5 { _ = try await host.post("rude \(i)", by: "bob", id: "r\(i)") }
    _ = try await host.post("see http://x.example", by: "ada", id: "link")
    let before = try await host.store.history(community: TestHost.community, since: nil).count

    let decisions = try await host.parley.resolveAll(
      community: TestHost.community, filter: QueueFilter(rule: "no-rude"), as: .remove,
      moderator: "mia", note: "rude wave")
    #expect(decisions.count == 5)
    let log = try await host.store.history(community: TestHost.community, since: nil)
    #expect(log.count == before + 5)
    let resolved = log.suffix(5).compactMap { decision -> String? in
      guard case .reviewResolved(let review) = decision.event else { return nil }
      #expect(review.outcome == .rejected)
      #expect(review.moderator == "mia")
      #expect(review.note == "rude wave")
      return review.message
    }
    #expect(resolved == ["r1", "r2", "r3", "r4", "r5"])
    #expect(
      try await host.parley.reviewQueue(community: TestHost.community).map(\.id) == ["link"])
    // Each removed author is told, and may appeal the moderator's decision.
    #expect(
      decisions.allSatisfy {
        $0.notice?.member == "bob" && $0.notice?.headline.contains("removed it") == true
      })
  }

  @Test("an appeal is not approved, nor a message overturned")
  func resolutionMustFit() async throws {
    let host = try await TestHost.make(plugins)
    let held = try await host.post("rude", by: "bob")
    _ = try await host.parley.appeal(decision: held.id, member: "bob", text: "no")
    let appeal = try #require(
      try await host.parley.reviewQueue(
        community: TestHost.community, filter: QueueFilter(kinds: [.appeal])
      ).first)
    await #expect(throws: ParleyError.resolutionDoesNotFit("appeal", "approve")) {
      try await host.parley.resolve(appeal, as: .approve, moderator: "mia")
    }
    // Overturning everything skips the held message and answers the appeal.
    let decisions = try await host.parley.resolveAll(
      community: TestHost.community, filter: QueueFilter(), as: .overturn, moderator: "mia")
    #expect(decisions.count == 1)
    #expect(
      decisions.first?.effects.map(\.effect).contains(.restore(message: held.messageID!)) == true)
  }
}

@Suite("Rule health")
struct RuleHealthTests {
  @Test("precision counts reviews and appeals, and an overturned appeal lowers it")
  func precision() async throws {
    let host = try await TestHost.make(plugins)
    // no-links holds four posts: two removed, one approved, one left waiting.
    for i in 1...4 { _ = try await host.post("http://x.example/\(i)", by: "bob", id: "l\(i)") }
    _ = try await host.parley.resolveReview(message: "l1", outcome: .rejected, moderator: "mia")
    let removed = try await host.parley.resolveReview(
      message: "l2", outcome: .rejected, moderator: "mia")
    _ = try await host.parley.resolveReview(message: "l3", outcome: .approved, moderator: "mia")
    // no-rude holds one post, removed on review and upheld on appeal.
    _ = try await host.post("rude", by: "ada", id: "r1")
    let rudeRemoval = try await host.parley.resolveReview(
      message: "r1", outcome: .rejected, moderator: "mia")
    _ = try await host.parley.appeal(decision: rudeRemoval.id, member: "ada", text: "joke")
    _ = try await host.parley.resolveAppeal(
      decision: rudeRemoval.id, outcome: .upheld, moderator: "tom")

    var health = try await host.parley.ruleHealth(community: TestHost.community)
    var links = try #require(health.first { $0.rule.name == "links/no-links" })
    #expect(links.fired == 4)
    #expect(links.verdicts[.hold] == 4)
    #expect((links.actioned, links.confirmed, links.overturned, links.pending) == (4, 2, 1, 1))
    #expect(links.precision == 2.0 / 3.0)
    let rude = try #require(health.first { $0.rule.name == "words/no-rude" })
    #expect((rude.confirmed, rude.overturned, rude.precision) == (1, 0, 1.0))
    #expect(health.first?.rule.name == "links/no-links")  // worst first

    // Bob appeals the moderator's removal of l2 and wins: it counts as overturned.
    _ = try await host.parley.appeal(decision: removed.id, member: "bob", text: "it's a manual")
    let reversed = try await host.parley.resolveAppeal(
      decision: removed.id, outcome: .overturned, moderator: "tom")
    #expect(reversed.effects.map(\.effect) == [.restore(message: "l2")])
    health = try await host.parley.ruleHealth(community: TestHost.community)
    links = try #require(health.first { $0.rule.name == "links/no-links" })
    #expect((links.confirmed, links.overturned) == (1, 2))
    #expect(links.precision == 1.0 / 3.0)

    // The window: decisions from now on only.
    host.clock.advance(minutes: 60)
    let since = host.clock.now
    _ = try await host.post("http://y.example", by: "bob", id: "l5")
    let recent = try await host.parley.ruleHealth(community: TestHost.community, since: since)
    #expect(recent.map(\.rule.name) == ["links/no-links"])
    #expect((recent[0].fired, recent[0].pending, recent[0].precision) == (1, 1, nil))
  }

  @Test("a review judges every decision that held its message, an appeal wins over the review")
  func judgements() async throws {
    let host = try await TestHost.make(plugins)
    let posted = try await host.post("rude", by: "bob", id: "m1")
    _ = try await host.parley.handle(.reportFiled(Report(message: "m1", reporter: "x", reason: "")))
    let reported = try await host.parley.handle(
      .reportFiled(Report(message: "m1", reporter: "y", reason: "")))
    #expect(reported.verdict == .hold)
    let removal = try await host.parley.resolveReview(
      message: "m1", outcome: .rejected, moderator: "mia")
    var judgements = Judgements(
      history: try await host.store.history(community: TestHost.community, since: nil))
    #expect(judgements[posted.id] == .confirmed)
    #expect(judgements[reported.id] == .confirmed)
    #expect(judgements[removal.id] == nil)

    _ = try await host.parley.appeal(decision: posted.id, member: "bob", text: "context")
    _ = try await host.parley.resolveAppeal(
      decision: posted.id, outcome: .overturned, moderator: "tom")
    judgements = Judgements(
      history: try await host.store.history(community: TestHost.community, since: nil))
    #expect(judgements[posted.id] == .overturned)
    #expect(judgements[reported.id] == .confirmed)
  }

  @Test("the table names every rule with its figures, in the order given")
  func table() {
    var weak = RuleHealth(rule: Provenance(plugin: "p", rule: "weak", location: "p/r.lua:1"))
    weak.fired = 10
    weak.verdicts = [.hold: 10]
    weak.actioned = 10
    weak.confirmed = 3
    weak.overturned = 7
    let text = RuleHealth.table([weak])
    let lines = text.split(separator: "\n")
    #expect(lines.count == 2)
    #expect(lines[0].hasPrefix("rule"))
    #expect(
      lines[1].split(separator: " ").map(String.init) == [
        "p/weak", "10", "0", "10", "0", "0", "0", "3", "7", "0", "30%",
      ])
  }
}
