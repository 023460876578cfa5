import Foundation
import Parley
import Testing

/// Plugin state that answers only once `parties` rules are waiting on it at
/// the same time, as rows another host holds would make them wait.
final class RendezvousState: PluginStateStore, @unchecked Sendable {
  let parties: Int
  private let lock = NSCondition()
  private var waiting = 0
  private var met = false
  private let inner = InMemoryPluginState()

  init(parties: Int) { self.parties = parties }

  var blocks: Bool { true }

  /// Whether all parties were ever waiting at once (a rule that waited
  /// 10 s in vain gives up, so a starved engine still finishes).
  var rendezvous: Bool {
    lock.lock()
    defer { lock.unlock() }
    return met
  }

  func value(_ key: StateKey, at now: Date) throws -> TimerValue? { try inner.value(key, at: now) }

  func set(_ key: StateKey, to value: TimerValue?, expires: Date?) throws {
    try inner.set(key, to: value, expires: expires)
  }

  func increment(_ key: StateKey, by: Int64, expires: Date?, at now: Date) throws -> Int64 {
    lock.lock()
    waiting += 1
    if waiting >= parties {
      met = true
      lock.broadcast()
    }
    let deadline = Date().addingTimeInterval(10)
    while !met, lock.wait(until: deadline) {}
    waiting -= 1
    lock.unlock()
    return try inner.increment(key, by: by, expires: expires, at: now)
  }
}

@Suite("rules whose plugin state blocks")
struct BlockingStateTests {
  @Test("run on threads of their own: more rules can wait at once than Swift has threads")
  func blockedRulesDoNotStarveTheEngine() async throws {
    // More workers than Swift's concurrency threads (one per core): on those
    // threads at most `cores` rules could wait at once, and the rendezvous
    // would time out.
    let parties = ProcessInfo.processInfo.activeProcessorCount + 2
    let state = RendezvousState(parties: parties)
    let host = try await TestHost.make(
      [
        PluginFixture(
          name: "counter",
          files: [
            "count.lua": """
            rule {
              id = "count", on = "message_posted", description = "Counts posts",
              check = function(event) return allow("post " .. state.incr("posts")) end,
            }
            """
          ])
      ], workers: parties, pluginState: state)
    for index in 2...parties {
      try await host.parley.openThread(
        DialogueThread(id: "t\(index)", community: TestHost.community, title: "T", opener: "ada"))
    }
    let tasks = (1...parties).map { index in
      host.parley.submit(.messagePosted(host.message("hello", in: "t\(index)")))
    }
    for task in tasks { #expect(try await task.value.verdict == .allow) }
    #expect(state.rendezvous, "all \(parties) rules waited at once")
  }
}
