import Parley

/// Work waiting for a loop that handles it a batch at a time: what arrives
/// while one batch is being handled goes in the next. The loop runs only
/// while there is work: adding says when to start it, and ``take()`` ends
/// it when nothing is left.
///
/// The group commit's writer and the log's syncer are both such loops: one
/// transaction, or one sync, serves everything that came while the last
/// one ran.
final class Batches<Item: Sendable>: Sendable {
  private struct State {
    var pending: [Item] = []
    var running = false
  }

  private let state = Locked(State())

  /// Adds one item; true when no loop is running, so the caller starts one
  /// (and it runs until ``take()`` returns nil).
  func add(_ item: Item) -> Bool { add(contentsOf: CollectionOfOne(item)) }

  /// Adds items; true when no loop is running, so the caller starts one.
  func add(contentsOf items: some Sequence<Item>) -> Bool {
    state.withLock { state in
      state.pending.append(contentsOf: items)
      if state.running { return false }
      state.running = true
      return true
    }
  }

  /// Everything added since the last call, or nil, ending the loop, when
  /// nothing was.
  func take() -> [Item]? {
    state.withLock { state in
      if state.pending.isEmpty {
        state.running = false
        return nil
      }
      let batch = state.pending
      state.pending = []
      return batch
    }
  }
}
