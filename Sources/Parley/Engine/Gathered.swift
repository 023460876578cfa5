import Foundation

/// The outcomes of a batch of events, handed over when the last one is in.
final class Gathered: @unchecked Sendable {
  // Guarded by `lock`.
  private var results: [Result<Decision, any Error>?]
  private var missing: Int
  private let continuation: CheckedContinuation<[Result<Decision, any Error>], Never>
  private let lock = NSLock()

  init(count: Int, _ continuation: CheckedContinuation<[Result<Decision, any Error>], Never>) {
    results = Array(repeating: nil, count: count)
    missing = count
    self.continuation = continuation
  }

  func set(_ index: Int, _ result: Result<Decision, any Error>) {
    lock.lock()
    results[index] = result
    missing -= 1
    let done = missing == 0
    lock.unlock()
    // Every slot is filled once `missing` reaches 0.
    if done { continuation.resume(returning: results.map { $0! }) }
  }
}
