import CParleyLock

/// A lock with one condition to wait on, as `NSCondition` is, on the same
/// spin-then-sleep lock as ``Locked``: the lanes' queue and the threads that
/// feed it meet on it for a fraction of a microsecond per event, and a
/// sleep and a wake-up for each meeting would cost more than the work.
package final class Condition: @unchecked Sendable {
  private let handle: OpaquePointer

  package init() {
    guard let handle = pl_lock_create() else { fatalError("Parley: no memory for a lock") }
    self.handle = handle
  }

  deinit { pl_lock_destroy(handle) }

  package func lock() { pl_lock_acquire(handle) }

  package func unlock() { pl_lock_release(handle) }

  /// Lets go of the lock the caller holds, sleeps until signalled (or woken
  /// for no reason: callers wait in a loop on their own test), and takes the
  /// lock again.
  package func wait() { pl_lock_wait(handle) }

  /// Wakes one waiter, if any.
  package func signal() { pl_lock_signal(handle) }

  /// Wakes every waiter.
  package func broadcast() { pl_lock_broadcast(handle) }
}
