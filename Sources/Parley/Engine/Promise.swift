import Foundation

/// A result a worker thread delivers once and a task awaits: how
/// ``Parley/submit(_:)`` hands a lane's decision to the caller's task.
final class Promise<Value: Sendable>: @unchecked Sendable {
  // Guarded by `lock`.
  private var result: Result<Value, any Error>?
  private var waiter: CheckedContinuation<Value, any Error>?
  private let lock = NSLock()

  func fulfill(_ result: Result<Value, any Error>) {
    lock.lock()
    guard let waiter else {
      self.result = result
      lock.unlock()
      return
    }
    self.waiter = nil
    lock.unlock()
    waiter.resume(with: result)
  }

  var value: Value {
    get async throws {
      try await withCheckedThrowingContinuation { continuation in
        lock.lock()
        if let result {
          lock.unlock()
          continuation.resume(with: result)
        } else {
          waiter = continuation
          lock.unlock()
        }
      }
    }
  }
}
