import Foundation
import Parley
import ParleyPostgres
import Testing

/// Two hosts in one process: each its own store (its own connections) and
/// its own Parley, on one database. What they must agree on, PostgreSQL
/// coordinates.
@Suite("hosts sharing one PostgreSQL database", .enabled(if: TestDatabase.available))
struct CoordinationTests {
  struct Hosts {
    var stores: [PostgresStore]
    var parleys: [Parley]
  }

  func withHosts(
    _ count: Int = 2, members: Int = 4, threads: Int = 1, timerLease: Duration = .seconds(30),
    _ body: (Hosts) async throws -> Void
  ) async throws {
    let url = TestDatabase.freshURL()
    let plugins = try Witness.pluginFolder()
    try await TestDatabase.withStore(url: url, timerLease: timerLease) { first in
      try await Witness.prepare(first, members: members, threads: threads)
      var stores = [first]
      for _ in 1..<count {
        var configuration = try PostgresConfiguration(url: url)
        configuration.timerLease = timerLease
        stores.append(try await PostgresStore.connect(configuration, logger: TestDatabase.quiet))
      }
      var parleys: [Parley] = []
      for store in stores {
        parleys.append(
          try await Parley(
            plugins: plugins, store: store,
            configuration: Parley.Configuration(workers: 2, recentMessages: 100),
            logger: TestDatabase.quiet))
      }
      try await body(Hosts(stores: stores, parleys: parleys))
      for store in stores.dropFirst() { await store.close() }
    }
  }

  func post(_ index: Int, thread: String = "t0", author: String = "u0") -> Event {
    .messagePosted(
      Message(
        id: "\(thread)-m\(index)", thread: thread, author: author, text: "post \(index)",
        createdAt: Date(timeIntervalSince1970: 1_750_000_000 + Double(index))))
  }

  @Test("one thread's events, sent to both hosts at once, are decided one at a time")
  func oneThreadIsSerialised() async throws {
    try await withHosts { hosts in
      // Forty posts to one thread, alternating between hosts, all in flight
      // together: without the thread's lock, two decisions would read the
      // thread before either wrote, and see the same number of messages.
      let tasks = (0..<40).map { index in hosts.parleys[index % 2].submit(post(index)) }
      for task in tasks { _ = try await task.value }
      let history = try await hosts.stores[0].history(community: Witness.community, since: nil)
      let seen = history.filter { $0.event.kind == .messagePosted }.compactMap(Witness.seen)
      #expect(seen == Array(0..<40), "each decision saw every decision before it, in log order")
    }
  }

  @Test("counters are exact when both hosts count the same key at once")
  func countersAreExact() async throws {
    try await withHosts(threads: 20) { hosts in
      // 20 threads × 10 posts, all by u1, half through each host: 200
      // increments of one key, racing across hosts.
      var tasks: [Task<Decision, any Error>] = []
      for index in 0..<200 {
        tasks.append(
          hosts.parleys[index % 2].submit(post(index, thread: "t\(index % 20)", author: "u1")))
      }
      for task in tasks { _ = try await task.value }
      let state = hosts.stores[0].pluginState
      let now = Date()
      let key = { (key: String) in
        StateKey(community: Witness.community, plugin: "witness", key: key)
      }
      #expect(try state.value(key("posts:u1"), at: now) == .integer(200))
      #expect(try state.value(key("all"), at: now) == .integer(200))
      let member = try await hosts.stores[1].member("u1")
      #expect(member?.history.posts == 200, "member counters add up across hosts too")
    }
  }

  @Test("a timer fires once across hosts, also when the host that claimed it dies")
  func timersFireOnce() async throws {
    try await withHosts(threads: 3, timerLease: .seconds(1)) { hosts in
      for index in 0..<3 { _ = try await hosts.parleys[0].handle(post(0, thread: "t\(index)")) }
      #expect(try await hosts.stores[0].pendingTimers().count == 3)

      // Host 0 claims every due timer and dies before deciding them.
      let claimed = try await hosts.stores[0].claimDueTimers(at: Date(), limit: 10)
      #expect(claimed.count == 3)
      #expect(try await hosts.parleys[1].fireDueTimers().isEmpty, "leased timers wait")

      // Once the lease runs out, host 1 fires them, once each.
      try await Task.sleep(for: .milliseconds(1200))
      async let fromOne = hosts.parleys[1].fireDueTimers()
      async let fromZero = hosts.parleys[0].fireDueTimers()
      let fired = try await fromOne + fromZero
      #expect(fired.count == 3)
      #expect(Set(fired.compactMap(\.timerID)) == Set(claimed.map(\.id)))
      #expect(try await hosts.stores[0].pendingTimers().isEmpty)

      // The dead host's late decision of a timer cannot land a second time.
      await #expect(throws: ParleyError.timerAlreadyFired(claimed[0].id)) {
        try await hosts.parleys[0].handle(.timerDue(claimed[0]))
      }
      let history = try await hosts.stores[0].history(community: Witness.community, since: nil)
      #expect(history.filter { $0.event.kind == .timerDue }.count == 3)
      let timers = try hosts.stores[0].pluginState.value(
        StateKey(community: Witness.community, plugin: "witness", key: "timers"), at: Date())
      #expect(timers == .integer(3), "the rolled-back decision's state change was rolled back too")
    }
  }
}

extension Decision {
  var timerID: String? {
    if case .timerDue(let timer) = event { return timer.id }
    return nil
  }
}
