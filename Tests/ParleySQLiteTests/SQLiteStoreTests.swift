import Foundation
import Parley
import ParleySQLite
import Testing

@Suite("The SQLite store")
struct SQLiteStoreTests {
  @Test("an existing empty file is migrated, and opening again keeps the data")
  func emptyFile() async throws {
    let fixture = try Fixture()
    #expect(FileManager.default.createFile(atPath: fixture.database, contents: Data()))
    do {
      let store = try SQLiteStore(path: fixture.database)
      try await store.save(Community(id: "c", name: "C"))
    }
    let reopened = try SQLiteStore(path: fixture.database)
    #expect(try await reopened.community("c")?.name == "C")
    #expect(try await reopened.pendingTimers().isEmpty)
  }

  @Test("decisions, messages, counters, reviews, plugin state and timers survive a restart")
  func restart() async throws {
    let fixture = try Fixture()
    let clock = ManualClock()
    var decisions: [Decision] = []
    do {
      let (parley, _) = try await fixture.open(clock: clock)
      decisions.append(try await parley.handle(post("m1", "hello", at: clock.now)))
      decisions.append(
        try await parley.handle(post("m2", "see http://x", by: "bob", at: clock.now)))
    }
    // A new process: open the same file.
    let (parley, store) = try await fixture.open(clock: clock, seed: false)
    let stored = try await store.decisions(community: "c", limit: 10)
    #expect(stored.reversed() == decisions)
    #expect(try await store.message("m2")?.text == "see http://x")
    #expect(try await store.member("ada")?.history.posts == 1)
    #expect(try await store.pendingReviews(community: "c").map(\.message) == ["m2"])
    #expect(try await store.thread("t")?.participants == ["ada", "bob"])
    // Plugin state continues where it was: ada's third post is n2.
    let third = try await parley.handle(post("m3", "again", at: clock.now))
    #expect(third.effects.map(\.effect).contains(.tag("n2")))
    #expect(try await store.pendingTimers().count == 3)
  }

  @Test("appeals and decision ids survive a restart, and an overturned mute is lifted in the file")
  func appealsAcrossRestart() async throws {
    let fixture = try Fixture()
    let clock = ManualClock()
    let held: Decision
    do {
      let (parley, store) = try await fixture.open(clock: clock)
      held = try await parley.handle(post("m1", "see http://x", by: "bob", at: clock.now))
      #expect(try await store.decision(id: held.id) == held)
      _ = try await parley.appeal(decision: held.id, member: "bob", text: "it is the manual")
    }
    let (parley, store) = try await fixture.open(clock: clock, seed: false)
    #expect(try await store.pendingAppeals(community: "c").map(\.decision) == [held.id])
    let resolved = try await parley.resolveAppeal(
      decision: held.id, outcome: .overturned, moderator: "mia", note: "fine")
    #expect(resolved.effects.map(\.effect).contains(.restore(message: "m1")))
    #expect(try await store.pendingAppeals(community: "c").isEmpty)
    #expect(try await store.appeals(community: "c").first?.outcome == .overturned)
    #expect(try await store.pendingReviews(community: "c").isEmpty)
    // Replay finds the decisions the appeals name.
    let replay = try await Replay.run(store: store, plugins: fixture.plugins, community: "c")
    #expect(replay.skipped.isEmpty, "\(replay.skipped.map(\.why))")
    #expect(replay.differences.isEmpty)

    // The member update that lifts a mute reaches the file.
    var bob = try #require(try await store.member("bob"))
    bob.mutedUntil = clock.now.addingTimeInterval(3600)
    try await store.save(bob)
    var lift = Changes(decision: resolved)
    var change = MemberChange(member: "bob")
    change.liftMute = true
    lift.members = [change]
    lift.decision.id = Decision.newID()
    try await store.commit(lift)
    #expect(try await store.member("bob")?.mutedUntil == nil)
  }

  @Test("a review keeps its kind, author, rules, decision and every reporter across a restart")
  func reviewsMergeAcrossRestart() async throws {
    let fixture = try Fixture()
    let clock = ManualClock()
    let held: Decision
    do {
      let (parley, _) = try await fixture.open(clock: clock)
      held = try await parley.handle(post("m1", "see http://x", by: "bob", at: clock.now))
      clock.advance(minutes: 1)
      _ = try await parley.handle(post("m2", "see http://y", by: "bob", at: clock.now))
    }
    let (_, store) = try await fixture.open(clock: clock, seed: false)
    // The same message held again (a later report, say) merges into one review.
    var again = Changes(decision: held)
    again.decision.id = Decision.newID()
    again.reviewsOpened = [
      Review(
        message: "m1", community: "c", kind: .reported, member: "bob",
        rules: [Provenance(plugin: "basic", rule: "reports", location: "rules.lua:9")],
        reasons: ["3 reports"], decision: again.decision.id, reporters: ["ada", "eve"],
        heldAt: clock.now)
    ]
    try await store.commit(again)
    let reviews = try await store.pendingReviews(community: "c")
    #expect(reviews.map(\.message) == ["m1", "m2"])
    let first = try #require(reviews.first)
    #expect(first.kind == .held)
    #expect(first.member == "bob")
    #expect(first.decision == held.id)
    #expect(first.rules.map(\.name) == ["basic/links", "basic/reports"])
    #expect(first.reasons == ["links are reviewed", "3 reports"])
    #expect(first.reporters == ["ada", "eve"])
    #expect(first.heldAt == held.decidedAt)
  }

  @Test("timers that came due while the host was down fire on start")
  func timersAcrossRestart() async throws {
    let fixture = try Fixture()
    let clock = ManualClock()
    do {
      let (parley, _) = try await fixture.open(clock: clock)
      _ = try await parley.handle(post("m1", "hello", at: clock.now))
    }
    clock.advance(minutes: 90)
    let (parley, store) = try await fixture.open(clock: clock, seed: false)
    let fired = try await parley.fireDueTimers()
    #expect(
      fired.map { $0.effects.map(\.effect) } == [[.notify(team: "support", text: "timer later")]])
    #expect(try await store.pendingTimers().isEmpty)
    #expect(try await parley.fireDueTimers().isEmpty)
  }

  @Test(
    "resolving a review is an event the rules see, recorded in the audit log, and it leaves the queue"
  )
  func reviewResolution() async throws {
    let fixture = try Fixture()
    let clock = ManualClock()
    let (parley, store) = try await fixture.open(clock: clock)
    #expect(
      try await parley.handle(post("m1", "http://spam", by: "bob", at: clock.now)).verdict == .hold)
    let queue = try await store.reviews(community: "c", matching: "links")
    #expect(queue.map(\.0.message) == ["m1"])
    #expect(queue.first?.1?.text == "http://spam")
    #expect(try await store.reviews(community: "c", matching: "nothing like this").isEmpty)
    let decision = try await parley.resolveReview(
      message: "m1", outcome: .rejected, moderator: "mia", note: "spam link")
    #expect(
      decision.effects.map(\.effect) == [.notify(team: "moderators", text: "rejected: spam link")])
    #expect(try await store.pendingReviews(community: "c").isEmpty)
    let log = try await store.decisions(community: "c", limit: 1)
    guard case .reviewResolved(let resolution)? = log.first?.event else {
      Issue.record("the audit log does not end with the resolution")
      return
    }
    #expect(resolution.note == "spam link")
    #expect(resolution.moderator == "mia")
  }

  @Test(
    "a member's export holds their profile, consent history, messages and every decision about them"
  )
  func export() async throws {
    let fixture = try Fixture()
    let clock = ManualClock()
    let (parley, store) = try await fixture.open(clock: clock)
    _ = try await parley.handle(post("m1", "hello", by: "bob", at: clock.now))
    _ = try await parley.handle(post("m2", "from ada", at: clock.now))
    _ = try await parley.setConsent(member: "bob", purpose: .offers, granted: true)
    _ = try await parley.join(
      Member(id: "cy", community: "c", displayName: "Cy", joinedAt: clock.now, consents: Consents())
    )
    let export = try #require(try await store.export(member: "bob"))
    #expect(export.member.consents.offers)
    // The choices made on joining, then each change.
    #expect(export.consentHistory.map(\.purpose) == [.support, .news, .offers, .offers])
    #expect(export.consentHistory.map(\.granted) == [true, false, false, true])
    #expect(export.messages.map(\.id) == ["m1"])
    #expect(export.decisions.map(\.event.kind) == [.messagePosted, .consentChanged])
    let json = try export.json()
    #expect(json.contains("\"displayName\" : \"bob\""))
    #expect(json.contains("\"explanation\"") == false)
    #expect(json.contains("\"verdict\" : \"allow\""))
    #expect(try await store.export(member: "nobody") == nil)
    // Blocked offers are on record in the joiner's export.
    let cy = try #require(try await store.export(member: "cy"))
    #expect(cy.decisions.first?.blocked.first?.why == "cy has not consented to offers")
  }

  @Test(
    "concurrent handle calls share transactions, never deadlock, and lose nothing",
    .timeLimit(.minutes(1)))
  func concurrent() async throws {
    let fixture = try Fixture()
    let clock = ManualClock()
    let (parley, store) = try await fixture.open(clock: clock)
    for t in 0..<64 {
      try await parley.openThread(
        DialogueThread(id: "t\(t)", community: "c", title: "T", opener: "ada"))
    }
    // Many members: first posts create new plugin-state keys while others commit.
    for m in 0..<500 {
      try await parley.addMember(
        Member(id: "u\(m)", community: "c", displayName: "U", joinedAt: clock.now))
    }
    var tasks: [Task<Decision, any Error>] = []
    for i in 0..<2000 {
      tasks.append(
        parley.submit(
          .messagePosted(
            Message(
              id: "m\(i)", thread: "t\(i % 64)",
              author: i % 4 == 0 ? "ada" : i % 4 == 1 ? "bob" : "u\(i % 500)", text: "hi",
              createdAt: clock.now))))
    }
    for task in tasks { _ = try await task.value }
    #expect(try await store.decisions(community: "c", limit: 10_000).count == 2000)
    #expect(try await store.member("ada")?.history.posts == 500)
    #expect(try await store.member("bob")?.history.posts == 500)
  }

  @Test(
    "events handled as one batch each see the ones before them, and all are on disk when it returns"
  )
  func handledBatch() async throws {
    let fixture = try Fixture()
    let clock = ManualClock()
    let (parley, _) = try await fixture.open(clock: clock)
    let results = await parley.handle(
      (1...5).map { post("m\($0)", "post \($0)", at: clock.now) })
    let decisions = try results.map { try $0.get() }
    // The counting rule's state goes on from one event to the next.
    #expect(
      decisions.map { $0.effects.map(\.effect) }.map { $0.first } == (1...5).map { .tag("n\($0)") })
    let reopened = try SQLiteStore(path: fixture.database)
    #expect(try await reopened.decisions(community: "c", limit: 10).count == 5)
    #expect(try await reopened.member("ada")?.history.posts == 5)
    #expect(
      try reopened.pluginState.value(
        StateKey(community: "c", plugin: "basic", key: "posts:ada"), at: clock.now) == .integer(5))
  }
}
