// ForumHost: a complete host, the way a forum service embeds Parley. It opens the
// SQLite store, loads the plugins, sets up the Acme community and plays a short
// morning in the forum. For every event it prints the decision's explanation (what
// members and moderators are shown) and, after "->", what the forum does about it.
//
//   swift run ForumHost [--db PATH] [--plugins DIR]
//
// Without --db the database goes to a fresh temporary folder, so every run is the
// same. The example loads a copy of the plugins (from --plugins, default plugins/),
// because it edits a rule to show a reload: your checkout is never touched.

import Foundation
import Logging
import Parley
import ParleySQLite

var options = ["--db": "", "--plugins": "plugins"]
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
  guard options[flag] != nil, let value = arguments.popFirst() else {
    print("usage: ForumHost [--db PATH] [--plugins DIR]")
    exit(2)
  }
  options[flag] = value
}
// Parley logs through swift-log: revisions at info, each decision at debug, and
// the plugins' parley.log(...) lines at info. Warnings are enough here.
LoggingSystem.bootstrap { label in
  var handler = StreamLogHandler.standardError(label: label)
  handler.logLevel = .warning
  return handler
}

/// A community configuration that does not match the loaded plugins.
struct ConfigurationError: Error, CustomStringConvertible {
  var description: String
}

/// The forum's side of Parley: turn what members do into events, and act on decisions.
struct Forum {
  let parley: Parley
  let clock: ManualClock

  /// What the "Post" button does: ask Parley, then act on the decision.
  func post(
    _ id: String, by author: String, in thread: String, _ text: String, replyTo: String? = nil
  ) async {
    print("\(author) posts \(id) in \(thread): \"\(text)\"")
    let message = Message(
      id: id, thread: thread, author: author, text: text, createdAt: clock.now, replyTo: replyTo)
    do {
      act(on: try await parley.handle(.messagePosted(message)))
    } catch let error as ParleyError {
      // The event names something the store does not have: a bug in the host.
      say("reject the request (\(error))")
    } catch {
      // The store could not read or write: nothing was decided or recorded.
      // Keep the message unpublished and try again; never publish it unchecked.
      say("keep \(id) unpublished and retry: \(error)")
    }
  }

  /// Posts that arrive together (a mobile app's offline queue): one batch,
  /// each decision in its post's place, each thread's posts in their order.
  func postQueued(_ messages: [Message]) async {
    print("the mobile app delivers \(messages.count) queued posts at once")
    let results = await parley.handle(messages.map { Event.messagePosted($0) })
    for (message, result) in zip(messages, results) {
      switch result {
      case .success(let decision): act(on: decision)
      case .failure(let error): say("keep \(message.id) unpublished and retry: \(error)")
      }
    }
  }

  /// What the moderators' "Approve" and "Reject" buttons do.
  func review(
    _ message: String, _ outcome: ReviewResolution.Outcome, by moderator: String, note: String
  ) async throws {
    print("\(moderator) \(outcome.rawValue) \(message): \(note)")
    act(
      on: try await parley.resolveReview(
        message: message, outcome: outcome, moderator: moderator, note: note))
    // The outcome is the moderator's: the review_resolved rules only add effects.
    say(outcome == .approved ? "publish \(message)" : "delete \(message) for good")
  }

  /// Loads the plugin folder again. On a problem the running revision stays,
  /// and the problems (plugin, file, line) go to whoever changed the rules.
  func reload() async throws {
    do {
      try await parley.reload()
    } catch .pluginsFailed(let problems) {
      print("reload refused, revision \(parley.revision) keeps running:")
      for problem in problems { print("   \(problem)") }
    }
  }

  /// Applies a decision: the verdict decides what happens to the content, and
  /// each effect is one thing for the forum to do, in the order given.
  func act(on decision: Decision) {
    var actions: [String] = []
    let content: String? =
      switch decision.event {
      case .messagePosted(let message), .messageEdited(let message): message.id
      case .reportFiled(let report): report.message
      default: nil  // joins, consents, timers and reviews judge no content
      }
    if let content {
      switch decision.verdict {
      case .allow: actions.append("publish \(content)")
      case .flag: actions.append("publish \(content) and list it for the moderators")
      case .hold: actions.append("hide \(content) until a moderator looks; tell its author why")
      case .remove: actions.append("take \(content) down; tell its author why")
      }
    }
    for decided in decision.effects {
      switch decided.effect {
      case .reply(let text, _, _, _): actions.append("post as \"[Acme bot]\": \(text)")
      case .contact(let member, let purpose, let text):
        actions.append("send \(member) a private \(purpose.rawValue) message: \(text)")
      case .notify(let team, let text): actions.append("put in \(team)'s inbox: \(text)")
      case .route(let team, _): actions.append("put the thread in \(team)'s queue")
      case .tag(let name): actions.append("show the tag '\(name)' on the thread")
      case .score(let member, _, _): actions.append("show \(member)'s new score")
      case .mute(let member, let minutes, _):
        actions.append("tell \(member) their posts wait for a moderator for \(minutes) minutes")
      case .schedule: break  // Parley keeps the timer; fireDueTimers() brings it back
      case .restore(let message): actions.append("show \(message) again: its appeal succeeded")
      case .liftMute(let member): actions.append("let \(member) post again: their mute is lifted")
      }
    }
    if let notice = decision.notice {
      actions.append("send \(notice.member) the notice: \(notice.headline)")
    }
    // Effects the core blocked (no consent, no points for held posts) are not
    // in `effects`: there is nothing to send. A failing rule needs its author.
    for failure in decision.failures {
      actions.append("alert the \(failure.source.plugin) authors: \(failure.source.name) fails")
    }
    // What members and moderators are shown, then what the forum does.
    let explanation = decision.explanation.split(separator: "\n")
    if decision.verdict == .allow && explanation.count == 1 && actions.count <= 1 {
      return print("   " + ([String(explanation[0])] + actions).joined(separator: " -> "))
    }
    for line in explanation { print("   " + line) }
    for action in actions { say(action) }
  }
}

/// One thing the host does, printed.
func say(_ action: String) {
  print("   -> " + action)
}

do {
  // The host's scratch space: the database (unless --db), and the plugins copy.
  let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("parley-forumhost")
  try? FileManager.default.removeItem(at: scratch)
  try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
  let plugins = scratch.appendingPathComponent("plugins")
  try FileManager.default.copyItem(at: URL(fileURLWithPath: options["--plugins"]!), to: plugins)
  let database =
    options["--db"]!.isEmpty ? scratch.appendingPathComponent("forum.db").path : options["--db"]!

  // 1. The store, the clock and Parley. A real forum passes SystemClock() and
  //    calls fireDueTimers() every minute; a ManualClock lets the example move time.
  let store = try SQLiteStore(path: database)
  let clock = ManualClock(ISO8601DateFormatter().date(from: "2025-06-17T08:00:00Z")!)
  let parley = try await Parley(
    plugins: plugins, store: store, clock: clock, configuration: .init(workers: 2))
  let forum = Forum(parley: parley, clock: clock)
  print("Loaded \(parley.plugins.count) plugins, revision \(parley.revision)\n")

  // 2. The community: six plugins, with Acme's own settings on top of the defaults.
  let acme = Community(
    id: "acme", name: "Acme Routers Community",
    plugins: [
      EnabledPlugin(name: "consent", settings: ["outreach_team": .string("marketing")]),
      EnabledPlugin(
        name: "no-broadcast",
        settings: [
          "max_links": .integer(1), "links_new_days": .integer(14),
          "flood_max_posts": .integer(5), "flood_mute_posts": .integer(7),
          "flood_mute_minutes": .integer(240),
        ]),
      EnabledPlugin(name: "disclosure", settings: ["brand": .string("Acme")]),
      EnabledPlugin(
        name: "listening-desk",
        settings: [
          "teams": .list(["question=community-support", "complaint=care", "feedback=product"]),
          "acknowledge": .boolean(true), "answer_within_minutes": .integer(90),
        ]),
      EnabledPlugin(name: "dialogue-score"),
      EnabledPlugin(name: "civility"),
    ])
  // The core skips a plugin it has not loaded, and uses the default for a setting
  // it does not know or of the wrong type: check the configuration when you save it.
  for enabled in acme.plugins {
    guard let manifest = parley.plugins.first(where: { $0.name == enabled.name }) else {
      throw ConfigurationError(description: "no plugin '\(enabled.name)' is loaded")
    }
    for (name, value) in enabled.settings
    where !manifest.settings.contains(where: { $0.name == name && $0.accepts(value) }) {
      throw ConfigurationError(description: "\(enabled.name) has no \(name) setting like \(value)")
    }
  }
  try await parley.createCommunity(acme)

  // 3. Members. addMember saves quietly (accounts the forum already had);
  //    join saves and runs the member_joined rules.
  let joined = clock.now.addingTimeInterval(-400 * 86_400)
  let accounts = [
    Member(
      id: "sam", community: "acme", displayName: "Sam Ortiz", role: .staff, affiliation: "Acme",
      joinedAt: joined, trustLevel: 4),
    Member(
      id: "mia", community: "acme", displayName: "Mia Jensen", role: .moderator, joinedAt: joined,
      trustLevel: 4),
    Member(
      id: "ada", community: "acme", displayName: "Ada Lovelace", joinedAt: joined, trustLevel: 3,
      consents: Consents(support: true, news: true)),
    Member(
      id: "turbodeals", community: "acme", displayName: "TurboMesh Deals",
      joinedAt: clock.now.addingTimeInterval(-86_400)),
  ]
  for member in accounts where try await store.member(member.id) == nil {
    try await parley.addMember(member)
  }
  print("nick joins")
  forum.act(
    on: try await parley.join(
      Member(id: "nick", community: "acme", displayName: "Nick Moreau", joinedAt: clock.now)))

  // 4. A question, a staff answer, and a newcomer's question with links.
  try await parley.openThread(
    DialogueThread(id: "t1", community: "acme", title: "5 GHz drops", opener: "ada"))
  await forum.post(
    "m1", by: "ada", in: "t1", "Since 2.2 my 5 GHz network drops every evening. Is there a fix?")
  clock.advance(minutes: 12)
  await forum.post(
    "m2", by: "sam", in: "t1", "Hi Ada, Sam from the Acme team. Firmware 2.2.1 fixes the drops.",
    replyTo: "m1")
  clock.advance(minutes: 3)
  try await parley.openThread(
    DialogueThread(id: "t2", community: "acme", title: "Guest network", opener: "nick"))
  await forum.post(
    "m3", by: "nick", in: "t2", "Hi all! How do I set up a guest network on the mesh?")
  clock.advance(minutes: 5)
  await forum.post(
    "m4", by: "nick", in: "t2",
    "I found https://example.org/guest and https://example.net/mesh, are they right?")

  // 5. The review queue, and a moderator's answer.
  for (review, message) in try await store.reviews(community: "acme") {
    print("review queue: \(review.message) by \(message?.author ?? "?"), held \(review.heldAt)")
  }
  clock.advance(minutes: 10)
  try await forum.review("m4", .approved, by: "mia", note: "both guides are fine")

  // 6. A member changes their mind: the consent is saved, then the rules run.
  clock.advance(minutes: 2)
  print("ada withdraws consent to news")
  forum.act(on: try await parley.setConsent(member: "ada", purpose: .news, granted: false))

  // 7. An account that only broadcasts floods a thread: the 6th post within 10
  //    minutes is held, the 7th mutes it, and the core holds what it posts while muted.
  try await parley.openThread(
    DialogueThread(id: "t3", community: "acme", title: "TurboMesh", opener: "turbodeals"))
  let adverts = [
    "TurboMesh kits ship today", "Three floors covered by one kit", "Gamers love our low ping",
    "Free returns for thirty days", "Ask us for a bundle quote", "Our nodes never need a reboot",
    "Mesh that sets itself up", "Last chance for the launch deal",
  ]
  for (n, advert) in adverts.enumerated() {
    clock.advance(minutes: 1)
    await forum.post("s\(n + 1)", by: "turbodeals", in: "t3", advert)
  }
  try await forum.review("s8", .rejected, by: "mia", note: "advert from a muted account")

  // 8. Time passes: the follow-up timers of both questions come due.
  clock.advance(minutes: 90)
  print("\n90 minutes later")
  for decision in try await parley.fireDueTimers() {
    print(decision.event.summary)
    forum.act(on: decision)
  }

  // 9. A community manager publishes rule changes; the host reloads. The
  //    revision is a hash of the plugin files: unchanged files, same revision.
  print("\nreload, nothing changed: revision \(try await parley.reload())")
  let tone = plugins.appendingPathComponent("civility/tone.lua")
  let original = try String(contentsOf: tone, encoding: .utf8)
  let newRule = """
    rule {
      id = "one-word-posts",
      on = "message_posted",
      description = "Flags posts of one word",
      check = function(event, ctx)
        if #event.message.text < ctx.settings.min_letters then return flag("one word") end
      end,
    }
    """
  // First with a missing comma: the reload is refused, nothing changes.
  let missingComma = "rule { id = \"one-word-posts\" on = \"message_posted\" }\n"
  try (original + missingComma).write(to: tone, atomically: true, encoding: .utf8)
  try await forum.reload()
  // Then with a setting the manifest does not have: it loads, and fails on every post.
  try (original + newRule).write(to: tone, atomically: true, encoding: .utf8)
  print("reload with a typo the loader cannot see: revision \(try await parley.reload())")
  await forum.post("m5", by: "ada", in: "t1", "Thanks Sam, 2.2.1 fixed it!", replyTo: "m2")
  try original.write(to: tone, atomically: true, encoding: .utf8)
  print("reload with the rule taken out again: revision \(try await parley.reload())")

  // 10. Posts written offline arrive together, as one batch.
  await forum.postQueued([
    Message(
      id: "m7", thread: "t2", author: "ada", text: "The guest network is under Settings > Mesh.",
      createdAt: clock.now),
    Message(
      id: "m8", thread: "t2", author: "nick", text: "Found it, thank you Ada!",
      createdAt: clock.now, replyTo: "m7"),
  ])

  // 11. A host bug: a post in a thread the forum never opened.
  await forum.post("m6", by: "ada", in: "t9", "Hello?")

  let waiting = try await store.pendingReviews(community: "acme").map(\.message)
  print("\nReview queue: \(waiting.joined(separator: ", "))")
  print("Audit log and everything else: \(database)")
} catch {
  FileHandle.standardError.write(Data("ForumHost: \(error)\n".utf8))
  exit(1)
}
