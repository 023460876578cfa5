import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A value behind a lock.
///
/// The lock is a pthread mutex rather than `Synchronization.Mutex`: on Linux
/// `Mutex` is built on raw futexes, which ThreadSanitizer cannot see, so every
/// guarded access would be reported as a race, hiding real ones. On Linux it
/// is an adaptive mutex, which spins briefly before it sleeps: the sections
/// it guards last a few microseconds, and two workers meeting on the store's
/// lock would otherwise pay a sleep and a wake-up (a context switch each).
package final class Locked<Value>: @unchecked Sendable {
  private var value: Value
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>

  package init(_ value: Value) {
    self.value = value
    mutex = .allocate(capacity: 1)
    var attributes = pthread_mutexattr_t()
    pthread_mutexattr_init(&attributes)
    #if canImport(Glibc)
    pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_ADAPTIVE_NP))
    #endif
    pthread_mutex_init(mutex, &attributes)
    pthread_mutexattr_destroy(&attributes)
  }

  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
  }

  package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return try body(&value)
  }
}
