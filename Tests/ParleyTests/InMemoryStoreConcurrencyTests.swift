import Foundation
import Testing

@testable import Parley

@Suite("The in-memory store under concurrent commits")
struct InMemoryStoreConcurrencyTests {
  /// Four threads commit at once, each its own threads' messages, all of
  /// them counting against the same members: every count, message and
  /// participant must be there at the end, and the log must hold every
  /// decision. (Members, threads and messages are kept in shards with a
  /// lock each; ThreadSanitizer runs this suite in `make test-tsan`.)
  @Test("commits from four threads lose no message, counter, participant or decision")
  func noLostUpdates() async throws {
    let store = InMemoryStore()
    let members = (0..<24).map { "m\($0)" }
    let workers = 4
    let threadsPerWorker = 8
    let messagesPerThread = 120
    try await store.save(Community(id: "c", name: "C"))
    for member in members {
      try await store.save(Member(id: member, community: "c", displayName: member, joinedAt: .now))
    }
    for w in 0..<workers {
      for t in 0..<threadsPerWorker {
        try await store.save(
          DialogueThread(id: "t\(w)-\(t)", community: "c", title: "T", opener: members[0]))
      }
    }

    await withTaskGroup(of: Void.self) { group in
      for w in 0..<workers {
        group.addTask {
          await onThread {
            for n in 0..<(threadsPerWorker * messagesPerThread) {
              let thread = "t\(w)-\(n % threadsPerWorker)"
              let author = members[n % members.count]
              let message = Message(
                id: "\(thread)-\(n)", thread: thread, author: author, text: "hi", createdAt: .now)
              var member = MemberChange(member: author)
              member.history.posts = 1
              var participants = ThreadChange(thread: thread)
              participants.participants = [author]
              let decision = Decision(
                event: .messagePosted(message), community: "c", verdict: .allow, verdicts: [],
                effects: [], blocked: [], failures: [], revision: "r", decidedAt: .now)
              try! store.commitNow(
                Changes(
                  decision: decision, messages: [message], members: [member],
                  threads: [participants]))
            }
          }
        }
      }
    }

    let total = workers * threadsPerWorker * messagesPerThread
    var posts = 0
    for member in members { posts += try #require(store.memberNow(member)).history.posts }
    #expect(posts == total)
    for w in 0..<workers {
      for t in 0..<threadsPerWorker {
        let id = "t\(w)-\(t)"
        let context = try store.contextNow(
          for: .messagePosted(
            Message(id: "probe", thread: id, author: members[0], text: "", createdAt: .now)),
          recentMessages: .max)
        // Thread t gets the worker's messages n with n % 8 == t, in order.
        let ns = (0..<messagesPerThread).map { $0 * threadsPerWorker + t }
        #expect(context.recentMessages.map(\.id) == ns.map { "\(id)-\($0)" }, "thread \(id)")
        let authors = Set(ns.map { members[$0 % members.count] })
        #expect(
          Set(context.thread?.participants ?? []) == authors.union([members[0]]), "thread \(id)")
      }
    }
    #expect(store.messageNow("t3-7-\(messagesPerThread * threadsPerWorker - 1)") != nil)
    #expect(try await store.history(community: "c", since: nil).count == total)
  }
}

/// Runs `body` on a thread of its own, as the engine's lanes do.
private func onThread(_ body: @escaping @Sendable () -> Void) async {
  await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
    Thread {
      body()
      done.resume()
    }.start()
  }
}
