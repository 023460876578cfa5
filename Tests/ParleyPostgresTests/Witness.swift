import Foundation
import Parley

/// A plugin that writes into every decision what the decision saw: how many
/// of the thread's messages came before it and the author's post count,
/// counted in plugin state. Each thread's first post schedules a timer due
/// at once; the timer's rule counts timers that fired. Posts saying "hold me"
/// are held for a moderator.
enum Witness {
  static let community = "hosts"

  static func pluginFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("parley-witness-\(UUID().uuidString)")
    let plugin = folder.appendingPathComponent("witness")
    try FileManager.default.createDirectory(at: plugin, withIntermediateDirectories: true)
    try """
    return {
      name = "witness", version = "1.0.0", description = "records what each decision saw",
      events = { "message_posted", "timer_due" }, failure = "closed", settings = {},
      rules = { "witness.lua" },
    }
    """.write(to: plugin.appendingPathComponent("plugin.lua"), atomically: true, encoding: .utf8)
    try """
    rule {
      id = "saw", on = "message_posted", description = "Notes what the decision saw",
      check = function(event, ctx)
        local seen = #ctx.thread.messages
        local posts = state.incr("posts:" .. event.message.author)
        state.incr("all")
        local verdict = allow(string.format("seen=%d posts=%d", seen, posts))
        if seen == 0 then return verdict, schedule("follow-up", 0, { thread = ctx.thread.id }) end
        return verdict
      end,
    }
    rule {
      id = "hold-on-request", on = "message_posted", description = "Holds posts that ask for it",
      check = function(event)
        if event.message.text:find("hold me", 1, true) then return hold("asked to be held") end
      end,
    }
    rule {
      id = "follow-up", on = "timer_due", description = "Counts the timers that fired",
      check = function(event)
        state.incr("timers")
        return allow("fired " .. event.timer.name)
      end,
    }
    """.write(to: plugin.appendingPathComponent("witness.lua"), atomically: true, encoding: .utf8)
    return folder
  }

  static func members(_ count: Int) -> [Member] {
    (0..<count).map { index in
      Member(
        id: "u\(index)", community: community, displayName: "User \(index)",
        joinedAt: Date(timeIntervalSince1970: 1_700_000_000), trustLevel: 2)
    }
  }

  /// The community, members and threads, saved once before the hosts start.
  static func prepare(_ store: any Store, members: Int, threads: Int) async throws {
    try await store.save(
      Community(id: community, name: "Hosts", plugins: [EnabledPlugin(name: "witness")]))
    for member in Self.members(members) { try await store.save(member) }
    for index in 0..<threads {
      try await store.save(
        DialogueThread(
          id: "t\(index)", community: community, title: "Thread \(index)", opener: "u0"))
    }
  }

  /// How many earlier messages the decision saw, from the rule's reason.
  static func seen(_ decision: Decision) -> Int? {
    guard let reason = decision.verdicts.first(where: { $0.source.rule == "saw" })?.reason,
      let match = reason.firstMatch(of: /seen=(\d+)/)
    else { return nil }
    return Int(match.1)
  }
}
