/// Keeps events with the same key in submission order while events with
/// different keys run in parallel: each event waits for the one submitted
/// before it under the same key.
final class Sequencer: Sendable {
  private struct Tail {
    var task: Task<Void, Never>
    var ticket: UInt64
  }

  private let tails = Locked<(next: UInt64, byKey: [String: Tail])>((0, [:]))

  /// Starts `work` after the previous work of `key` has finished.
  func enqueue<T: Sendable>(
    key: String, _ work: @escaping @Sendable () async throws -> T
  ) -> Task<T, any Error> {
    tails.withLock { tails in
      let previous = tails.byKey[key]?.task
      let ticket = tails.next
      tails.next += 1
      let task = Task {
        await previous?.value
        return try await work()
      }
      let done = Task<Void, Never> { _ = try? await task.value }
      tails.byKey[key] = Tail(task: done, ticket: ticket)
      Task { [weak self] in
        await done.value
        self?.forget(key: key, ticket: ticket)
      }
      return task
    }
  }

  private func forget(key: String, ticket: UInt64) {
    tails.withLock { tails in
      if tails.byKey[key]?.ticket == ticket { tails.byKey[key] = nil }
    }
  }
}
