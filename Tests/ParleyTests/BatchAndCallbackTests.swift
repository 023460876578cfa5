import Foundation
import Parley
import Testing

/// What a host feeding Parley from its own loop relies on: batches and
/// completion callbacks keep each thread's order, report each event's own
/// outcome, and every decision is recorded.
@Suite("Batches and completion callbacks")
struct BatchAndCallbackTests {
  static let counting = PluginFixture(
    name: "sequence",
    files: [
      "rules.lua": """
      rule { id = "seq", on = "message_posted", description = "Numbers each thread's posts",
             check = function(event)
               return notify("seq", tostring(state.incr("seq:" .. event.message.thread)))
             end }
      """
    ])

  static func openThreads(_ count: Int, on host: TestHost) async throws {
    for t in 0..<count {
      try await host.parley.openThread(
        DialogueThread(id: "s\(t)", community: TestHost.community, title: "t", opener: "ada"))
    }
  }

  @Test("a batch returns each event's outcome in its place, errors included, in thread order")
  func batch() async throws {
    let host = try await TestHost.make([Self.counting], workers: 3)
    try await Self.openThreads(7, on: host)
    var events: [Event] = []
    for i in 0..<140 {
      events.append(.messagePosted(host.message("\(i)", in: "s\(i % 7)")))
    }
    events.insert(.messagePosted(host.message("lost", in: "no-such-thread")), at: 70)
    let results = await host.parley.handle(events)
    #expect(results.count == 141)
    for (i, result) in results.enumerated() {
      if i == 70 {
        #expect(throws: ParleyError.unknownThread("no-such-thread")) { try result.get() }
        continue
      }
      let n = i < 70 ? i : i - 1
      let decision = try result.get()
      #expect(decision.effects.map(\.effect) == [.notify(team: "seq", text: "\(n / 7 + 1)")])
    }
    #expect(try await host.store.decisions(community: TestHost.community, limit: 1000).count == 140)
  }

  @Test("completion callbacks come once per event, in each thread's order")
  func callbacks() async throws {
    let host = try await TestHost.make([Self.counting], workers: 2)
    try await Self.openThreads(5, on: host)
    let seen = Seen()
    await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
      let remaining = Countdown(100) { done.resume() }
      for i in 0..<100 {
        let thread = "s\(i % 5)"
        host.parley.submit(.messagePosted(host.message("\(i)", in: thread))) { result in
          if case .success(let decision) = result,
            case .notify(_, let text) = decision.effects.first?.effect
          {
            seen.append(thread, Int(text) ?? -1)
          }
          remaining.tick()
        }
      }
    }
    for t in 0..<5 { #expect(seen.numbers(of: "s\(t)") == Array(1...20)) }
  }

  @Test("an empty batch returns at once")
  func emptyBatch() async throws {
    let host = try await TestHost.make([Self.counting])
    #expect(await host.parley.handle([Event]()).isEmpty)
  }
}

/// Numbers each thread's callbacks saw, in the order they came.
final class Seen: @unchecked Sendable {
  private var byThread: [String: [Int]] = [:]
  private let lock = NSLock()

  func append(_ thread: String, _ number: Int) {
    lock.withLock { byThread[thread, default: []].append(number) }
  }

  func numbers(of thread: String) -> [Int] { lock.withLock { byThread[thread] ?? [] } }
}

/// Runs `done` after `tick` has been called `count` times.
final class Countdown: @unchecked Sendable {
  private var left: Int
  private let done: @Sendable () -> Void
  private let lock = NSLock()

  init(_ count: Int, done: @escaping @Sendable () -> Void) {
    left = count
    self.done = done
  }

  func tick() {
    let finished = lock.withLock {
      left -= 1
      return left == 0
    }
    if finished { done() }
  }
}
