import Foundation
import Parley
import ParleyPostgres
import Testing

/// Two `parley host` processes on one database, one of them killed mid-run.
@Suite("separate host processes on one PostgreSQL", .enabled(if: TestDatabase.available))
struct MultiHostTests {
  static let threads = 50
  static let postsPerThread = 8
  static let members = 10

  static func line(thread: Int, post: Int) -> (id: String, text: String) {
    let id = "t\(thread)-m\(post)"
    let at = Date(timeIntervalSince1970: 1_750_000_000 + Double(post * 60 + thread))
    let fields: [String: Any] = [
      "at": at.formatted(.iso8601), "kind": "post", "id": id, "thread": "t\(thread)",
      "author": "u\((thread + post) % members)", "text": "post \(post) in thread \(thread)",
    ]
    let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    return (id, String(decoding: data, as: UTF8.self))
  }

  @Test(
    "interleaved events of 50 threads: in order, exact counters, timers once, nothing lost to SIGKILL",
    .timeLimit(.minutes(3)))
  func twoHostsOneKilled() async throws {
    let url = TestDatabase.freshURL() + "&timer_lease=1"
    let folder = try Witness.pluginFolder()
    try await TestDatabase.withStore(url: url, timerLease: .seconds(1)) { store in
      try await Witness.prepare(store, members: Self.members, threads: Self.threads)
      let community = folder.appendingPathComponent("community.json")
      try """
      {"community": {"id": "\(Witness.community)", "name": "Hosts", "plugins": [{"name": "witness"}]},
       "members": []}
      """.write(to: community, atomically: true, encoding: .utf8)
      let arguments = [
        "--db", url, "--plugins", folder.path, "--community", community.path, "--timers", "0.2",
        "--workers", "2",
      ]
      let hosts = [
        try HostProcess(name: "a", arguments: arguments),
        try HostProcess(name: "b", arguments: arguments),
      ]
      let progress = Progress()

      // Each thread's posts go alternately to both hosts, the next once the
      // previous is acknowledged (its arrival order); the 50 threads run at
      // once. After 150 acknowledgements host a is killed; what it had not
      // acknowledged is looked up, and sent to host b if it never landed.
      try await withThrowingTaskGroup(of: Void.self) { group in
        for thread in 0..<Self.threads {
          group.addTask {
            for post in 0..<Self.postsPerThread {
              let (id, text) = Self.line(thread: thread, post: post)
              var host = hosts[(thread + post) % 2]
              while true {
                if host === hosts[0], progress.killed { host = hosts[1] }
                switch await host.send(text) {
                case .decided:
                  if progress.acknowledge() == 150 {
                    hosts[0].kill()
                    progress.kill()
                  }
                case .failed(let why):
                  Issue.record("host \(host.name) failed \(id): \(why)")
                case .gone:
                  let landed = try await store.decisions(about: id)
                  if landed.isEmpty {
                    progress.resent()
                    host = hosts[1]
                    continue
                  }
                  progress.recovered()
                }
                break
              }
            }
          }
        }
        try await group.waitForAll()
      }
      #expect(progress.killed, "host a was killed mid-run")
      #expect(
        progress.interrupted > 0,
        "host a had events in flight when it died: \(progress.interrupted)")

      // Timers host a had leased come back after their lease; host b fires them.
      let deadline = Date().addingTimeInterval(20)
      while try await !store.pendingTimers().isEmpty, Date() < deadline {
        try await Task.sleep(for: .milliseconds(200))
      }
      #expect(await hosts[1].finish() == 0, "host b: \(hosts[1].standardError)")

      let history = try await store.history(community: Witness.community, since: nil)
      let posts = history.filter { $0.event.kind == .messagePosted }
      #expect(posts.count == Self.threads * Self.postsPerThread, "every event decided exactly once")
      for thread in 0..<Self.threads {
        let decided = posts.filter { $0.messageID?.hasPrefix("t\(thread)-") == true }
        #expect(
          decided.compactMap(\.messageID) == (0..<Self.postsPerThread).map { "t\(thread)-m\($0)" },
          "thread t\(thread) decided in arrival order")
        #expect(decided.compactMap(Witness.seen) == Array(0..<Self.postsPerThread))
      }

      let state = store.pluginState
      let key = { StateKey(community: Witness.community, plugin: "witness", key: $0) }
      #expect(try state.value(key("all"), at: Date()) == .integer(Int64(posts.count)))
      for member in 0..<Self.members {
        let authored = posts.filter {
          if case .messagePosted(let message) = $0.event { return message.author == "u\(member)" }
          return false
        }.count
        #expect(try state.value(key("posts:u\(member)"), at: Date()) == .integer(Int64(authored)))
        #expect(try await store.member("u\(member)")?.history.posts == authored)
      }

      let timers = history.filter { $0.event.kind == .timerDue }
      #expect(timers.count == Self.threads, "one timer per thread, each fired once")
      #expect(Set(timers.compactMap(\.timerID)).count == Self.threads)
      #expect(try state.value(key("timers"), at: Date()) == .integer(Int64(Self.threads)))
      #expect(try await store.pendingTimers().isEmpty)

      let acknowledgedByKilled = hosts[0].acknowledgedDecisions
      #expect(acknowledgedByKilled.count >= 50, "host a decided its share before it died")
      for id in acknowledgedByKilled {
        #expect(try await store.decision(id: id) != nil, "host a acknowledged \(id): it is stored")
      }
    }
  }
}

/// Counts acknowledgements across the driver's tasks, and when host a died.
final class Progress: @unchecked Sendable {
  private let lock = NSLock()
  private var acknowledgements = 0
  private var dead = false
  private var found = 0
  private var again = 0

  func acknowledge() -> Int {
    lock.lock()
    defer { lock.unlock() }
    acknowledgements += 1
    return acknowledgements
  }

  func kill() {
    lock.lock()
    dead = true
    lock.unlock()
  }

  var killed: Bool {
    lock.lock()
    defer { lock.unlock() }
    return dead
  }

  /// An event whose host died after committing it, before acknowledging.
  func recovered() {
    lock.lock()
    found += 1
    lock.unlock()
  }

  /// An event whose host died before committing it: sent to the other host.
  func resent() {
    lock.lock()
    again += 1
    lock.unlock()
  }

  /// Events host a held when it died, committed or not.
  var interrupted: Int {
    lock.lock()
    defer { lock.unlock() }
    return found + again
  }
}
