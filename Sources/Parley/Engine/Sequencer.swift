/// Keeps events with the same key in submission order while events with
/// different keys run in parallel: each event waits for the one submitted
/// before it under the same key.
///
/// One task per event: the task waits for its predecessor's result and
/// unregisters itself when done, so an event costs no extra task hops.
final class Sequencer: Sendable {
  private struct Tail {
    /// Waits until the latest event of the key has finished, whatever its outcome.
    var finished: @Sendable () async -> Void
    var ticket: UInt64
  }

  private let tails = Locked<(next: UInt64, byKey: [String: Tail])>((0, [:]))

  /// Starts `work` after the previous work of `key` has finished.
  func enqueue<T: Sendable>(
    key: String, _ work: @escaping @Sendable () async throws -> T
  ) -> Task<T, any Error> {
    tails.withLock { tails in
      let previous = tails.byKey[key]?.finished
      let ticket = tails.next
      tails.next += 1
      let task = Task {
        if let previous { await previous() }
        defer { self.forget(key: key, ticket: ticket) }
        return try await work()
      }
      tails.byKey[key] = Tail(finished: { _ = await task.result }, ticket: ticket)
      return task
    }
  }

  private func forget(key: String, ticket: UInt64) {
    tails.withLock { tails in
      if tails.byKey[key]?.ticket == ticket { tails.byKey[key] = nil }
    }
  }
}
