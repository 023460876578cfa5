import Foundation
import Parley
import ParleyStoreSuite

@testable import ParleySQLite

/// A fresh folder with a database path and a plugin folder.
struct Fixture {
  let folder: URL
  /// Removes `folder` (the database and the plugins) once the test is done.
  private let remover: FolderRemover
  var database: String { folder.appendingPathComponent("parley.db").path }
  var plugins: URL { folder.appendingPathComponent("plugins") }

  init() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "parley-sqlite-\(UUID().uuidString)")
    remover = FolderRemover(folder)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try writeRules(Fixture.rules)
  }

  static let rules = """
    rule { id = "links", on = "message_posted", description = "d",
           check = function(event)
             if event.message.text:find("http", 1, true) then return hold("links are reviewed") end
           end }
    rule { id = "count", on = "message_posted", description = "d",
           check = function(event, ctx)
             return tag("n" .. state.incr("posts:" .. ctx.member.id)), schedule("later", 60, { n = 1 })
           end }
    rule { id = "later", on = "timer_due", description = "d",
           check = function(event) return notify("support", "timer " .. event.timer.name) end }
    rule { id = "outcome", on = "review_resolved", description = "d",
           check = function(event) return notify("moderators", event.review.outcome .. ": " .. (event.review.note or "")) end }
    rule { id = "offer", on = "member_joined", description = "d",
           check = function(event, ctx) return contact(ctx.member.id, "offers", "a deal") end }
    """

  func writeRules(_ rules: String) throws {
    let plugin = plugins.appendingPathComponent("basic")
    try FileManager.default.createDirectory(at: plugin, withIntermediateDirectories: true)
    try """
    return { name = "basic", version = "1.0.0", description = "d",
             events = { "message_posted", "timer_due", "review_resolved", "member_joined" } }
    """.write(to: plugin.appendingPathComponent("plugin.lua"), atomically: true, encoding: .utf8)
    try rules.write(
      to: plugin.appendingPathComponent("rules.lua"), atomically: true, encoding: .utf8)
  }

  /// Parley over the SQLite file, with a community, two members and a thread.
  func open(
    clock: ManualClock = ManualClock(), seed: Bool = true, cachedRows: Int = 250_000,
    syncLog: @escaping @Sendable (String) throws -> Void = LogSyncer.syncLog
  ) async throws -> (Parley, SQLiteStore) {
    let store = try SQLiteStore(
      path: database, cachedRows: cachedRows, trustCacheFor: ContextCache.defaultTrust,
      syncLog: syncLog)
    let parley = try await Parley(plugins: plugins, store: store, clock: clock)
    if seed {
      try await parley.createCommunity(
        Community(
          id: "c", name: "C", plugins: [EnabledPlugin(name: "basic", settings: ["x": .integer(1)])])
      )
      for id in ["ada", "bob"] {
        try await parley.addMember(
          Member(
            id: id, community: "c", displayName: id, role: .member,
            affiliation: id == "ada" ? "Acme" : nil,
            joinedAt: clock.now, trustLevel: 2,
            consents: Consents(support: true, news: id == "ada", offers: false)))
      }
      try await parley.openThread(
        DialogueThread(id: "t", community: "c", title: "T", opener: "ada"))
    }
    return (parley, store)
  }
}

func post(_ id: String, _ text: String, by author: String = "ada", at date: Date) -> Event {
  .messagePosted(Message(id: id, thread: "t", author: author, text: text, createdAt: date))
}
