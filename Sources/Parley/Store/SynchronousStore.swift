/// A store that answers without suspending: memory, or a local file with
/// what events read kept in memory (SQLite).
///
/// When a ``Parley`` host's store is synchronous (and its plugin state never
/// blocks), each worker runs its events back to back on a thread of its own (see `docs/performance.md`):
/// no task, no await and no wake-up per event. The engine reads and writes
/// through these three calls there, never through their `async` forms.
///
/// A synchronous store serves one host: ``Store/deciding(key:_:)`` is not
/// called on this path, so a store shared by several hosts (PostgreSQL)
/// must not conform.
public protocol SynchronousStore: Store {
  /// ``Store/context(for:recentMessages:)``, answered at once.
  func contextNow(for event: Event, recentMessages: Int) throws -> EventContext
  /// ``Store/member(_:)``, answered at once.
  func memberNow(_ id: String) throws -> Member?
  /// ``Store/commit(_:)``, done before it returns.
  func commitNow(_ changes: Changes) throws
  /// Records the changes at once, so the next ``contextNow(for:recentMessages:)``
  /// reads them, and calls `durable` once they are safe (or failed to be).
  /// What a worker calls: a store that writes to disk makes events durable
  /// in groups while the worker goes on deciding the next. By default it
  /// is ``commitNow(_:)``, then `durable`.
  func commitNow(
    _ changes: Changes, whenDurable durable: @escaping @Sendable (Result<Void, any Error>) -> Void)
  /// Whether ``commitNow(_:whenDurable:)`` may call back later: false when
  /// ``commitNow(_:)`` is all there is (the default), so a worker calls
  /// that and skips making a callback per event.
  var writesBehind: Bool { get }
}

extension SynchronousStore {
  public var writesBehind: Bool { false }

  public func commitNow(
    _ changes: Changes, whenDurable durable: @escaping @Sendable (Result<Void, any Error>) -> Void
  ) {
    durable(Result { try commitNow(changes) })
  }
}
