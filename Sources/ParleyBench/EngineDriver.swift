import Foundation
import Histogram
import Parley

/// What driving events through Parley measured.
public struct ThroughputResult: Sendable {
  public var events: Int
  public var seconds: Double
  /// How many decisions ended with each verdict.
  public var verdicts: [Verdict: Int]
  /// Rule failures over all decisions (a benchmark pack should have none).
  public var failures: Int

  public var eventsPerSecond: Double { Double(events) / seconds }
  public var nanosecondsPerEvent: Double { seconds * 1e9 / Double(events) }
}

/// Latency per event at a fixed offered load.
public struct LatencyResult: Sendable {
  public var offeredPerSecond: Double
  public var events: Int
  public var p50Nanoseconds: UInt64
  public var p99Nanoseconds: UInt64
  public var p999Nanoseconds: UInt64
  public var maxNanoseconds: UInt64
}

/// Drives events through the host's full path (`Parley.submit`: context,
/// every rule, combination, consent enforcement, the store) and reads every
/// decision's explanation, as a host that shows it would.
public enum EngineDriver {
  /// Runs `count` events as fast as the engine takes them, keeping at most
  /// `window` in flight, as a busy host's request handlers would.
  public static func throughput(
    _ parley: Parley, count: Int, window: Int = 128, event: (Int) -> Event,
    progress: ((Int) -> Void)? = nil
  ) async throws -> ThroughputResult {
    var inFlight: [Task<Decision, any Error>] = []
    inFlight.reserveCapacity(window)
    var verdicts: [Verdict: Int] = [:]
    var failures = 0
    var explained = 0
    func settle(_ decision: Decision) {
      verdicts[decision.verdict, default: 0] += 1
      failures += decision.failures.count
      explained &+= decision.explanation.utf8.count
    }
    let start = ContinuousClock.now
    for i in 0..<count {
      if inFlight.count == window {
        settle(try await inFlight[i % window].value)
        inFlight[i % window] = parley.submit(event(i))
      } else {
        inFlight.append(parley.submit(event(i)))
      }
      if let progress, i % 100_000 == 99_999 { progress(i + 1) }
    }
    // The oldest still in flight first, so nothing waits out of order.
    let first = count % max(1, inFlight.count)
    for j in 0..<inFlight.count {
      settle(try await inFlight[(first + j) % inFlight.count].value)
    }
    let elapsed = ContinuousClock.now - start
    precondition(explained > 0 || count == 0)
    return ThroughputResult(
      events: count, seconds: elapsed.seconds, verdicts: verdicts, failures: failures)
  }

  /// Offers `count` events at a steady `perSecond`, each at its scheduled
  /// time whether or not earlier ones are done, and measures each from its
  /// scheduled time to its decision (so a stall counts against every event
  /// it delays, not only the first).
  public static func latency(
    _ parley: Parley, count: Int, perSecond: Double, event: @escaping @Sendable (Int) -> Event
  ) async throws -> LatencyResult {
    let histogram = Locked(
      Histogram<UInt64>(
        highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three))
    let tasks = Locked<[Task<Void, any Error>]>([])
    let interval = 1e9 / perSecond
    let pacer = Pacer()
    let start = Pacer.now()
    // The pacer is a thread of its own: async sleeps are too coarse for
    // tens of thousands of events per second.
    await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
      let thread = Thread {
        var submitted: [Task<Void, any Error>] = []
        submitted.reserveCapacity(count)
        for i in 0..<count {
          let due = start + UInt64(Double(i) * interval)
          pacer.wait(until: due)
          let e = event(i)
          submitted.append(
            Task {
              _ = try await parley.handle(e)
              let latency = Pacer.now() &- due
              histogram.withLock { _ = $0.record(latency) }
            })
        }
        tasks.withLock { $0 = submitted }
        done.resume()
      }
      thread.stackSize = 1 << 20
      thread.start()
    }
    for task in tasks.withLock({ $0 }) { try await task.value }
    let h = histogram.withLock { $0 }
    return LatencyResult(
      offeredPerSecond: perSecond, events: count,
      p50Nanoseconds: h.valueAtPercentile(50), p99Nanoseconds: h.valueAtPercentile(99),
      p999Nanoseconds: h.valueAtPercentile(99.9), maxNanoseconds: h.max)
  }
}

extension Duration {
  /// The duration in seconds, as a floating-point number for rates.
  public var seconds: Double {
    Double(components.seconds) + Double(components.attoseconds) / 1e18
  }
}
