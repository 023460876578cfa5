import Foundation

/// A value behind a lock.
///
/// Parley uses this rather than `Synchronization.Mutex` because on Linux
/// `Mutex` is built on raw futexes, which ThreadSanitizer cannot see: every
/// guarded access would be reported as a race, hiding real ones. `NSLock` is
/// a pthread mutex, which the sanitizer understands.
package final class Locked<Value>: @unchecked Sendable {
  private var value: Value
  private let lock = NSLock()

  package init(_ value: Value) { self.value = value }

  package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
    lock.lock()
    defer { lock.unlock() }
    return try body(&value)
  }
}
