import Foundation
import Parley
import Testing

/// Plugin state whose `incr` holds the rule calling it until the test opens
/// the gate (or 30 s pass), while it claims not to block: the rule holding
/// it stays on its lane, as a slow rule or a core the machine lends
/// elsewhere would.
final class GateState: PluginStateStore, @unchecked Sendable {
  private let condition = NSCondition()
  private var open = false
  private var held = 0
  private(set) var timedOut = false
  private let inner = InMemoryPluginState()

  var blocks: Bool { false }

  /// Waits until a rule is held at the gate; false after 10 s without one.
  func waitForHeldRule() -> Bool {
    condition.lock()
    defer { condition.unlock() }
    let deadline = Date().addingTimeInterval(10)
    while held == 0, condition.wait(until: deadline) {}
    return held > 0
  }

  func openGate() {
    condition.lock()
    open = true
    condition.broadcast()
    condition.unlock()
  }

  func value(_ key: StateKey, at now: Date) throws -> TimerValue? { try inner.value(key, at: now) }

  func set(_ key: StateKey, to value: TimerValue?, expires: Date?) throws {
    try inner.set(key, to: value, expires: expires)
  }

  func increment(_ key: StateKey, by: Int64, expires: Date?, at now: Date) throws -> Int64 {
    condition.lock()
    held += 1
    condition.broadcast()
    let deadline = Date().addingTimeInterval(30)
    while !open {
      if !condition.wait(until: deadline) {
        timedOut = true
        open = true
      }
    }
    condition.unlock()
    return try inner.increment(key, by: by, expires: expires, at: now)
  }
}

@Suite("the workers' lanes")
struct LanesTests {
  @Test("a held-up worker holds up only its own thread's events: the others go to a free worker")
  func heldLaneDoesNotHoldOthers() async throws {
    let gate = GateState()
    let host = try await TestHost.make(
      [
        PluginFixture(
          name: "gate",
          files: [
            "gate.lua": """
            rule {
              id = "gate", on = "message_posted", description = "Holds the message 'hold'",
              check = function(event)
                if event.message.text == "hold" then state.incr("held") end
                return allow("seen " .. event.message.text)
              end,
            }
            """
          ])
      ], workers: 2, pluginState: gate)
    for t in 0..<20 {
      try await host.parley.openThread(
        DialogueThread(id: "s\(t)", community: TestHost.community, title: "T", opener: "ada"))
    }
    let finished = Locked<[String]>([])
    let all = Gathering(count: 24)
    func submit(_ text: String, in thread: String) {
      host.parley.submit(.messagePosted(host.message(text, in: thread))) { result in
        if case .success = result { finished.withLock { $0.append(text) } }
        all.arrive()
      }
    }

    submit("hold", in: "t1")
    #expect(gate.waitForHeldRule(), "the first event reached the gate")
    for i in 1...3 { submit("after \(i)", in: "t1") }
    for t in 0..<20 { submit("other \(t)", in: "s\(t)") }
    let others = (0..<20).map { "other \($0)" }
    let deadline = Date().addingTimeInterval(20)
    while Set(finished.withLock { $0 }).isSuperset(of: others) == false, Date() < deadline {
      try await Task.sleep(for: .milliseconds(5))
    }

    // Every other thread's event was decided while the gate held its
    // worker; the held thread's later events waited, in order.
    #expect(Set(finished.withLock { $0 }) == Set(others))
    gate.openGate()
    await all.wait()
    #expect(!gate.timedOut)
    #expect(
      finished.withLock { $0 }.filter { !$0.hasPrefix("other") }
        == ["hold", "after 1", "after 2", "after 3"])
  }
}

extension LanesTests {
  @Test("events submitted from many threads at once keep each thread's order on every worker")
  func manySubmitters() async throws {
    let host = try await TestHost.make(
      [
        PluginFixture(
          name: "sequence",
          files: [
            "rules.lua": """
            rule { id = "seq", on = "message_posted", description = "d",
                   check = function(event)
                     local n = state.incr("seq:" .. event.message.thread)
                     return notify("seq", event.message.text .. "=" .. n)
                   end }
            """
          ])
      ], workers: 4)
    let threads = 24
    for t in 0..<threads {
      try await host.parley.openThread(
        DialogueThread(id: "q\(t)", community: TestHost.community, title: "t", opener: "ada"))
    }
    // Six submitters, each owning four threads and posting to them in
    // turn, all at once: the queue's lock is contended from every side.
    let seen = Locked<[String: [String]]>([:])
    let all = Gathering(count: threads * 50)
    DispatchQueue.concurrentPerform(iterations: 6) { submitter in
      for n in 1...50 {
        for t in stride(from: submitter, to: threads, by: 6) {
          host.parley.submit(.messagePosted(host.message("\(n)", in: "q\(t)"))) { result in
            if case .success(let decision) = result,
              case .notify(_, let text)? =
                decision.effects.first?.effect
            {
              seen.withLock { $0["q\(t)", default: []].append(text) }
            }
            all.arrive()
          }
        }
      }
    }
    await all.wait()
    for t in 0..<threads {
      // Decided in the order posted (each saw the count of the ones
      // before it), and told in that order.
      #expect(seen.withLock { $0["q\(t)"] } == (1...50).map { "\($0)=\($0)" }, "thread q\(t)")
    }
  }
}

/// Counts arrivals from any thread; `wait` returns once all have come.
private final class Gathering: Sendable {
  private let left: Locked<(count: Int, waiter: CheckedContinuation<Void, Never>?)>

  init(count: Int) { left = Locked((count, nil)) }

  func arrive() {
    let waiter = left.withLock { left -> CheckedContinuation<Void, Never>? in
      left.count -= 1
      return left.count == 0 ? left.waiter : nil
    }
    waiter?.resume()
  }

  func wait() async {
    await withCheckedContinuation { continuation in
      let done = left.withLock { left -> Bool in
        if left.count == 0 { return true }
        left.waiter = continuation
        return false
      }
      if done { continuation.resume() }
    }
  }
}
