import Foundation
import Parley

/// One behaviour every ``Store`` must have, checked on a fresh, empty store.
public struct StoreCheck: Sendable, CustomStringConvertible {
  public let name: String
  let body: @Sendable (any Store) async throws -> Void

  init(_ name: String, _ body: @escaping @Sendable (any Store) async throws -> Void) {
    self.name = name
    self.body = body
  }

  /// Runs the check; throws ``StoreCheckFailure`` naming what differed.
  public func run(on store: any Store) async throws { try await body(store) }

  public var description: String { name }
}

/// A check that did not hold, with what was expected and what the store did.
public struct StoreCheckFailure: Error, CustomStringConvertible {
  public let description: String
}

/// The store behaviours the engine relies on, shared by every store's tests
/// so that the in-memory, SQLite and any later store cannot drift apart.
///
/// ```swift
/// @Test(arguments: StoreSuite.checks)
/// func conforms(_ check: StoreCheck) async throws {
///   try await check.run(on: try makeStore())
/// }
/// ```
public enum StoreSuite {
  public static let checks: [StoreCheck] = [
    StoreCheck("entities come back as saved; unknown ids are nil", entities),
    StoreCheck("an event's context is read in one call, recent messages in order", context),
    StoreCheck("a commit writes the decision, messages, and member and thread deltas", commit),
    StoreCheck("reviews open, merge, close, and list oldest first per community", reviews),
    StoreCheck("due timers are handed out once, earliest first, up to the limit", timers),
    StoreCheck("decisions newest first, history oldest first, by id", decisions),
    StoreCheck("appeals are filed, listed while pending, and answered", appeals),
    StoreCheck("plugin state sets, expires and counts exactly under concurrency", pluginState),
  ]

  static let start = Date(timeIntervalSince1970: 1_750_000_000)

  static func expect(
    _ condition: Bool, _ message: @autoclosure () -> String, line: Int = #line
  ) throws {
    if !condition { throw StoreCheckFailure(description: "StoreSuite.swift:\(line): \(message())") }
  }

  static func equal<T: Equatable>(_ actual: T, _ expected: T, _ what: String, line: Int = #line)
    throws
  {
    try expect(actual == expected, "\(what): expected \(expected), got \(actual)", line: line)
  }

  /// A community `c` with members ada and bob and a thread `t` opened by ada.
  static func seed(_ store: any Store) async throws {
    try await store.save(Community(id: "c", name: "C", plugins: [EnabledPlugin(name: "p")]))
    for id in ["ada", "bob"] {
      try await store.save(
        Member(id: id, community: "c", displayName: id.capitalized, joinedAt: start, trustLevel: 1))
    }
    try await store.save(DialogueThread(id: "t", community: "c", title: "T", opener: "ada"))
  }

  static func message(_ id: String, by author: String = "ada", minute: Double = 0) -> Message {
    Message(
      id: id, thread: "t", author: author, text: "text of \(id)",
      createdAt: start.addingTimeInterval(minute * 60))
  }

  static func decision(for event: Event, minute: Double = 0, verdict: Verdict = .allow)
    -> Decision
  {
    Decision(
      event: event, community: "c", verdict: verdict, verdicts: [], effects: [], blocked: [],
      failures: [], revision: "r1", decidedAt: start.addingTimeInterval(minute * 60))
  }

  /// Commits a posted message the way the engine does: the message with its decision.
  static func post(_ store: any Store, _ message: Message, minute: Double = 0) async throws {
    var changes = Changes(decision: decision(for: .messagePosted(message), minute: minute))
    changes.messages = [message]
    try await store.commit(changes)
  }

  // MARK: The checks

  static func entities(_ store: any Store) async throws {
    let community = Community(
      id: "c", name: "Café ☕",
      plugins: [
        EnabledPlugin(name: "p", settings: ["words": .list(["a", "b"])], notice: "be kind")
      ],
      appeals: AppealPolicy(windowDays: 30))
    let member = Member(
      id: "ada", community: "c", displayName: "Ada", role: .staff, affiliation: "Acme",
      joinedAt: start, trustLevel: 3, consents: Consents(support: true, news: true, offers: false),
      history: DialogueHistory(
        posts: 1, repliesToOthers: 2, repliesReceived: 3, questionsAsked: 4, questionsAnswered: 5),
      score: 7, mutedUntil: start.addingTimeInterval(3600))
    let thread = DialogueThread(
      id: "t", community: "c", title: "T", opener: "ada", status: .answered,
      participants: ["ada", "bob"], tags: ["question"], assignedTeam: "support")
    try await store.save(community)
    try await store.save(member)
    try await store.save(thread)
    try equal(try await store.community("c"), community, "community")
    try equal(try await store.member("ada"), member, "member")
    try equal(try await store.thread("t"), thread, "thread")
    try equal(try await store.member("nobody"), nil, "unknown member")
    try equal(try await store.message("nothing"), nil, "unknown message")
    var renamed = member
    renamed.displayName = "Ada L."
    try await store.save(renamed)
    try equal(try await store.member("ada")?.displayName, "Ada L.", "saving again replaces")
  }

  static func context(_ store: any Store) async throws {
    try await seed(store)
    for i in 1...5 { try await post(store, message("m\(i)", minute: Double(i)), minute: Double(i)) }
    let next = message("m6", by: "bob", minute: 6)
    let context = try await store.context(for: .messagePosted(next), recentMessages: 3)
    try equal(context.community.id, "c", "community")
    try equal(context.member?.id, "bob", "member")
    try equal(context.thread?.id, "t", "thread")
    try equal(context.recentMessages.map(\.id), ["m3", "m4", "m5"], "recent messages")
    var edited = message("m2")
    edited.text = "new text"
    let editContext = try await store.context(for: .messageEdited(edited), recentMessages: 3)
    try equal(editContext.storedMessage?.text, "text of m2", "the stored message before the edit")
    do {
      var lost = message("x")
      lost.thread = "nowhere"
      _ = try await store.context(for: .messagePosted(lost), recentMessages: 3)
      try expect(false, "a post in an unknown thread must throw")
    } catch let error as ParleyError {
      try equal(error, .unknownThread("nowhere"), "error")
    }
  }

  static func commit(_ store: any Store) async throws {
    try await seed(store)
    var first = Changes(decision: decision(for: .messagePosted(message("m1"))))
    first.messages = [message("m1")]
    var ada = MemberChange(member: "ada")
    ada.history.posts = 1
    ada.score = 2
    ada.mutedUntil = start.addingTimeInterval(600)
    first.members = [ada]
    var thread = ThreadChange(thread: "t")
    thread.participants = ["bob"]
    thread.tags = ["question"]
    thread.status = .answered
    first.threads = [thread]
    try await store.commit(first)
    // A second event's deltas add to the first's; a shorter mute never shortens.
    var second = Changes(decision: decision(for: .messagePosted(message("m2"))))
    second.messages = [message("m2")]
    ada.score = 3
    ada.mutedUntil = start.addingTimeInterval(60)
    second.members = [ada]
    var again = ThreadChange(thread: "t")
    again.participants = ["bob", "cy", #"d"q"#]
    again.tags = ["question", "billing"]
    again.assignedTeam = "support"
    second.threads = [again]
    try await store.commit(second)

    let member = try await store.member("ada")
    try equal(member?.history.posts, 2, "posts")
    try equal(member?.score, 5, "score")
    try equal(member?.mutedUntil, start.addingTimeInterval(600), "mute")
    let stored = try await store.thread("t")
    try equal(
      stored?.participants, ["ada", "bob", "cy", #"d"q"#],
      "participants (the opener first), each once")
    try equal(stored?.tags, ["question", "billing"], "tags, each once")
    try equal(stored?.status, .answered, "status (a later change without one keeps it)")
    try equal(stored?.assignedTeam, "support", "team")
    try equal(try await store.message("m2")?.text, "text of m2", "message")
    try equal(
      try await store.decisions(community: "c", limit: 10).map(\.id),
      [second.decision.id, first.decision.id], "decisions")

    var lift = Changes(decision: decision(for: .memberJoined(member: "ada")))
    var liftAda = MemberChange(member: "ada")
    liftAda.liftMute = true
    lift.members = [liftAda]
    try await store.commit(lift)
    try equal(try await store.member("ada")?.mutedUntil, nil, "a lifted mute")

    // A thread changed by an event that posts nothing (a timer's or a
    // report's route), and one posted to while another thread changes.
    try await store.save(DialogueThread(id: "u", community: "c", title: "Other", opener: "bob"))
    var routed = Changes(decision: decision(for: .memberJoined(member: "ada")))
    var toModerators = ThreadChange(thread: "t")
    toModerators.assignedTeam = "moderators"
    routed.threads = [toModerators]
    try await store.commit(routed)
    try equal(try await store.thread("t")?.assignedTeam, "moderators", "a change with no message")
    var both = Changes(decision: decision(for: .messagePosted(message("m3"))))
    both.messages = [message("m3")]
    var joined = ThreadChange(thread: "t")
    joined.participants = ["eve"]
    var tagged = ThreadChange(thread: "u")
    tagged.tags = ["elsewhere"]
    both.threads = [tagged, joined]
    try await store.commit(both)
    try equal(
      try await store.thread("t")?.participants, ["ada", "bob", "cy", #"d"q"#, "eve"],
      "the posted-to thread's change")
    try equal(try await store.thread("u")?.tags, ["elsewhere"], "another thread's change")
  }

  static func reviews(_ store: any Store) async throws {
    try await seed(store)
    try await store.save(Community(id: "other", name: "Other"))
    let rule = Provenance(plugin: "p", rule: "links", location: "p/r.lua:1")
    let reports = Provenance(plugin: "p", rule: "reports", location: "p/r.lua:9")
    var changes = Changes(decision: decision(for: .memberJoined(member: "ada")))
    changes.reviewsOpened = [
      Review(
        message: "m1", community: "c", kind: .held, member: "ada", rules: [rule],
        reasons: ["a link"], decision: "d1", heldAt: start),
      Review(message: "m2", community: "c", reasons: ["b"], heldAt: start),
      Review(message: "m0", community: "c", reasons: ["earlier"], heldAt: start - 60),
      Review(message: "o1", community: "other", reasons: ["x"], heldAt: start),
    ]
    try await store.commit(changes)
    var again = Changes(decision: decision(for: .memberJoined(member: "bob")))
    again.reviewsOpened = [
      Review(
        message: "m1", community: "c", kind: .reported, member: "ada", rules: [reports],
        reasons: ["3 reports"], decision: "d2", reporters: ["bob"], heldAt: start + 60)
    ]
    again.reviewsClosed = ["m2"]
    try await store.commit(again)
    let pending = try await store.pendingReviews(community: "c")
    try equal(
      pending.map(\.message), ["m0", "m1"], "oldest first, m2 closed, other community apart")
    let merged = pending[1]
    try equal(merged.kind, .held, "kind stays the first")
    try equal(merged.rules, [rule, reports], "rules merged")
    try equal(merged.reasons, ["a link", "3 reports"], "reasons merged")
    try equal(merged.reporters, ["bob"], "reporters")
    try equal(merged.decision, "d1", "the first decision")
    try equal(merged.heldAt, start, "held since the first time")
  }

  static func timers(_ store: any Store) async throws {
    try await seed(store)
    func timer(_ id: String, minutes: Double) -> ScheduledTimer {
      ScheduledTimer(
        id: id, community: "c", plugin: "p", name: id, due: start.addingTimeInterval(minutes * 60),
        thread: "t", data: ["n": .integer(7), "s": .string("x")])
    }
    var changes = Changes(decision: decision(for: .memberJoined(member: "ada")))
    changes.timers = [timer("late", minutes: 30), timer("b", minutes: 10), timer("a", minutes: 5)]
    try await store.commit(changes)
    let now = start.addingTimeInterval(20 * 60)
    let first = try await store.claimDueTimers(at: now, limit: 1)
    try equal(first.map(\.id), ["a"], "the earliest, up to the limit")
    try equal(first.first?.data, ["n": .integer(7), "s": .string("x")], "timer data")
    try equal(try await store.claimDueTimers(at: now, limit: 10).map(\.id), ["b"], "the rest due")
    try equal(try await store.claimDueTimers(at: now, limit: 10).map(\.id), [], "each once")
    try equal(
      try await store.claimDueTimers(at: start.addingTimeInterval(3600), limit: 10).map(\.id),
      ["late"], "not before it is due")
  }

  static func decisions(_ store: any Store) async throws {
    try await seed(store)
    try await store.save(Community(id: "other", name: "Other"))
    var made: [Decision] = []
    for minute in 0..<4 {
      var next = decision(for: .memberJoined(member: "ada"), minute: Double(minute))
      if minute == 2 { next.community = "other" }
      made.append(next)
      try await store.commit(Changes(decision: next))
    }
    let ofC = made.filter { $0.community == "c" }
    try equal(
      try await store.decisions(community: "c", limit: 2).map(\.id),
      ofC.reversed().prefix(2).map(\.id), "newest first, up to the limit")
    try equal(
      try await store.history(community: "c", since: nil).map(\.id), ofC.map(\.id),
      "history of one community, oldest first")
    try equal(
      try await store.history(community: nil, since: start.addingTimeInterval(120)).map(\.id),
      made.suffix(2).map(\.id), "history since a time, every community")
    try equal(try await store.decision(id: made[1].id), made[1], "a decision by id")
    try equal(try await store.decision(id: "d-nothing"), nil, "an unknown id")
  }

  static func appeals(_ store: any Store) async throws {
    try await seed(store)
    let held = decision(for: .messagePosted(message("m1")), verdict: .hold)
    try await store.commit(Changes(decision: held))
    var record = AppealRecord(
      decision: held.id, community: "c", member: "ada", text: "please", filedAt: start,
      message: "m1", verdict: .hold,
      rules: [Provenance(plugin: "p", rule: "r", location: "p/r.lua:1")], reasons: ["why"])
    var filing = Changes(
      decision: decision(
        for: .appealFiled(Appeal(decision: held.id, member: "ada", text: "please"))))
    filing.appeals = [record]
    try await store.commit(filing)
    try equal(try await store.appeal(decision: held.id), record, "the filed appeal")
    try equal(
      try await store.pendingAppeals(community: "c").map(\.decision), [held.id], "pending")
    record.outcome = .overturned
    record.moderator = "mia"
    record.note = "fine"
    record.resolvedAt = start.addingTimeInterval(60)
    var answer = Changes(
      decision: decision(
        for: .appealResolved(
          AppealResolution(decision: held.id, outcome: .overturned, moderator: "mia"))))
    answer.appeals = [record]
    try await store.commit(answer)
    try equal(try await store.appeal(decision: held.id), record, "the answered appeal")
    try equal(try await store.pendingAppeals(community: "c").count, 0, "no longer pending")
  }

  static func pluginState(_ store: any Store) async throws {
    try await seed(store)
    let state = store.pluginState
    let key = StateKey(community: "c", plugin: "p", key: "k")
    let otherPlugin = StateKey(community: "c", plugin: "q", key: "k")
    try state.set(key, to: .string("v"), expires: start.addingTimeInterval(60))
    try equal(try state.value(key, at: start), .string("v"), "a value")
    try equal(try state.value(otherPlugin, at: start), nil, "another plugin's key")
    try equal(try state.value(key, at: start.addingTimeInterval(61)), nil, "expired")
    try state.set(key, to: nil, expires: nil)
    try equal(try state.value(key, at: start), nil, "deleted")

    // Exact under concurrency: 8 tasks add 250 each.
    let counter = StateKey(community: "c", plugin: "p", key: "n")
    let expires = start.addingTimeInterval(3600)
    try await withThrowingTaskGroup(of: Void.self) { group in
      for _ in 0..<8 {
        group.addTask {
          for _ in 0..<250 { _ = try state.increment(counter, by: 1, expires: expires, at: start) }
        }
      }
      try await group.waitForAll()
    }
    try equal(try state.value(counter, at: start), .integer(2000), "every increment counted")
    // An expired counter starts again from 0.
    try equal(
      try state.increment(counter, by: 5, expires: nil, at: expires.addingTimeInterval(1)), 5,
      "an expired counter restarts")
  }
}
