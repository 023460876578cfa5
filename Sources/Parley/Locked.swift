import CParleyLock

/// A value behind a lock.
///
/// The lock is a ``CParleyLock`` lock: a pthread mutex that a waiter spins
/// on briefly before it sleeps. The sections it guards last a few
/// microseconds, and two workers meeting on the store's lock would
/// otherwise pay a sleep and a wake-up, which on a virtual machine cost
/// more than the section. It is a pthread mutex underneath, rather than
/// `Synchronization.Mutex`, because on Linux `Mutex` is built on raw
/// futexes, which ThreadSanitizer cannot see: every guarded access would be
/// reported as a race, hiding real ones.
package final class Locked<Value>: @unchecked Sendable {
  private var value: Value
  private let lock: OpaquePointer

  package init(_ value: Value) {
    self.value = value
    guard let lock = pl_lock_create() else { fatalError("Parley: no memory for a lock") }
    self.lock = lock
  }

  deinit { pl_lock_destroy(lock) }

  package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
    pl_lock_acquire(lock)
    defer { pl_lock_release(lock) }
    return try body(&value)
  }
}

/// How often a ``Locked`` value's lock was found taken, over the whole
/// process: each wait, and those that ended in sleep after the spin.
package struct LockWaits: Sendable, Equatable {
  package var waited: UInt64
  package var slept: UInt64

  /// The counts so far.
  package static func now() -> LockWaits {
    let counts = pl_lock_read_counts()
    return LockWaits(waited: UInt64(counts.waited), slept: UInt64(counts.slept))
  }
}
