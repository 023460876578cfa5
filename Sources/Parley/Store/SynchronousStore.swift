/// A store that answers without suspending: memory, or a local file behind
/// a lock.
///
/// When a ``Parley`` host's store is synchronous (and its plugin state never
/// blocks), each worker runs its events back to back on a thread of its own
/// (see `docs/performance.md`): no task, no await and no wake-up per event.
/// A worker takes every event queued for it and decides them inside one
/// ``withBatch(_:)``, reading and writing through the ``StoreBatch`` it is
/// given, never through the `async` forms.
///
/// A synchronous store serves one host: ``Store/deciding(key:_:)`` is not
/// called on this path, so a store shared by several hosts (PostgreSQL)
/// must not conform.
public protocol SynchronousStore: Store {
  /// Runs `decide`, which handles a batch of events one after another
  /// through the ``StoreBatch`` it is given, and returns once everything
  /// the batch committed is durable.
  ///
  /// A commit that throws must leave nothing of its own changes and the
  /// batch usable for the events after it. If `withBatch` itself throws,
  /// none of the batch's commits may remain.
  ///
  /// The SQLite store runs the batch in one write transaction: its events
  /// share one sync to disk, and each reads what the ones before it wrote.
  func withBatch(_ decide: (any StoreBatch) throws -> Void) throws

  /// Whether each ``StoreBatch/commitNow(_:)`` is final when it returns, so
  /// an event's outcome can be told before the rest of its batch runs.
  /// When false, outcomes are told after ``withBatch(_:)`` returns.
  var commitsAreFinalAtOnce: Bool { get }
}

extension SynchronousStore {
  /// False: outcomes wait for the batch, the safe default.
  public var commitsAreFinalAtOnce: Bool { false }
}

/// The reads and writes of one batch of events (``SynchronousStore/withBatch(_:)``),
/// each answered at once.
public protocol StoreBatch {
  /// ``Store/context(for:recentMessages:)``, answered at once; it sees what
  /// the batch's earlier events committed.
  func contextNow(for event: Event, recentMessages: Int) throws -> EventContext
  /// ``Store/member(_:)``, answered at once.
  func memberNow(_ id: String) throws -> Member?
  /// ``Store/commit(_:)``, within the batch.
  func commitNow(_ changes: Changes) throws
}
