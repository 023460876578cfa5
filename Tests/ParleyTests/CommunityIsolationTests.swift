import Foundation
import Parley
import Testing

@Suite("Communities are kept apart")
struct CommunityIsolationTests {
  /// A rule that names a member given in the post's text: points, a mute and
  /// a private message for them.
  static let reaching = PluginFixture(
    name: "reach",
    files: [
      "rules.lua": """
      rule { id = "reach", on = "message_posted", description = "reaches a member",
        check = function(event)
          local id = event.message.text
          return score(5, "helpful", id), mute(30, "cooling off", id),
            contact(id, "support", "hello")
        end }
      """
    ])

  @Test(
    "a rule cannot score, mute or contact a member of another community",
    arguments: ["lanes", "tasks"])
  func otherCommunity(path: String) async throws {
    let host = try await TestHost.make(
      [Self.reaching],
      // State that may block sends every event through a task instead of
      // a lane: the path asynchronous stores take.
      pluginState: path == "tasks" ? RendezvousState(parties: 1) : InMemoryPluginState())
    try await host.parley.createCommunity(Community(id: "c2", name: "Elsewhere"))
    let eve = Member(
      id: "eve", community: "c2", displayName: "Eve", joinedAt: host.clock.now, trustLevel: 1,
      consents: Consents(support: true, news: true, offers: true))
    try await host.parley.addMember(eve)

    let decision = try await host.post("eve")
    #expect(decision.effects.isEmpty, "\(decision.effects)")
    #expect(decision.blocked.count == 3, "\(decision.blocked)")
    for blocked in decision.blocked {
      #expect(blocked.why.contains("no member 'eve' in this community"), "\(blocked.why)")
    }
    let after = try #require(try await host.store.member("eve"))
    #expect(after.score == 0)
    #expect(after.mutedUntil == nil)

    // The same rule reaches a member of its own community.
    let own = try await host.post("bob")
    #expect(own.effects.count == 3, "\(own.blocked)")
    let bob = try #require(try await host.store.member("bob"))
    #expect(bob.score == 5)
    #expect(bob.mutedUntil != nil)
  }

  @Test("a member of one community cannot post in another's thread")
  func postElsewhere() async throws {
    let host = try await TestHost.make([Self.reaching])
    try await host.parley.createCommunity(Community(id: "c2", name: "Elsewhere"))
    try await host.parley.addMember(
      Member(id: "eve", community: "c2", displayName: "Eve", joinedAt: host.clock.now))
    do {
      _ = try await host.post("ada", by: "eve")
      Issue.record("a member of c2 posted in c1's thread")
    } catch let error as ParleyError {
      #expect(error == .memberOutsideCommunity("eve", "c2", TestHost.community))
      #expect(error.description.contains("add them to 'c1' with parley.addMember(_:)"))
    }
    let ada = try #require(try await host.store.member("ada"))
    #expect(ada.score == 0, "no rule ran")
  }
}
