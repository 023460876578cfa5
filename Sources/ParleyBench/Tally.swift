import Foundation
import Parley

/// Counts decisions as they come back, and holds a feeder back while
/// `window` events are undecided.
final class Tally: @unchecked Sendable {
  // Guarded by `condition`.
  private var inFlight = 0
  private var verdicts: [Verdict: Int] = [:]
  private var failures = 0
  private var explained = 0
  private var error: (any Error)?
  private var feederWaiting = false
  /// How few may be in flight before the waiting feeder is woken.
  private var lowWater = 0
  private let window: Int
  private let condition = Condition()

  init(window: Int) { self.window = window }

  /// Waits while the window is full, then counts one more event in flight.
  func admit() {
    condition.lock()
    if inFlight >= window {
      // Refill from half empty: one wake-up per half window, not per event.
      feederWaiting = true
      lowWater = window / 2
      while inFlight > lowWater { condition.wait() }
      feederWaiting = false
    }
    inFlight += 1
    condition.unlock()
  }

  /// Counts one decision (reading its explanation, as a host showing it would).
  func settle(_ result: Result<Decision, any Error>) {
    let explanation = (try? result.get())?.explanation.utf8.count ?? 0
    condition.lock()
    switch result {
    case .success(let decision):
      verdicts[decision.verdict, default: 0] += 1
      failures += decision.failures.count
      explained &+= explanation
    case .failure(let failure):
      if error == nil { error = failure }
    }
    inFlight -= 1
    let wake = feederWaiting && inFlight <= lowWater
    condition.unlock()
    if wake { condition.signal() }
  }

  /// Waits until every admitted event is decided.
  func drain() {
    condition.lock()
    feederWaiting = true
    lowWater = 0
    while inFlight > 0 { condition.wait() }
    feederWaiting = false
    condition.unlock()
  }

  /// What was counted; throws the first event's error, if any failed.
  func outcome() throws -> (verdicts: [Verdict: Int], failures: Int, explained: Int) {
    condition.lock()
    defer { condition.unlock() }
    if let error { throw error }
    return (verdicts, failures, explained)
  }
}
