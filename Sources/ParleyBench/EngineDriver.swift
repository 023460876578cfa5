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
  /// How many times a thread found one of Parley's locks (the store's
  /// tables, the rules' cost counters) taken during the run, and how many
  /// of those waits outlasted the spin and slept.
  public var lockWaits: UInt64
  public var lockSleeps: UInt64

  public var eventsPerSecond: Double { Double(events) / seconds }
  public var nanosecondsPerEvent: Double { seconds * 1e9 / Double(events) }
}

/// Runs `body` on a thread of its own (it blocks, which Swift's shared
/// concurrency threads must not) and returns when it is done.
func onThread(_ body: @escaping @Sendable () -> Void) async {
  await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
    let thread = Thread {
      body()
      done.resume()
    }
    thread.stackSize = 1 << 20
    thread.start()
  }
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
  /// `window` in flight, as a busy host's request handlers would: a feeder
  /// thread submits while fewer than `window` are undecided and sleeps until
  /// half of them are done when the window is full.
  public static func throughput(
    _ parley: Parley, count: Int, window: Int = 128, event: @escaping @Sendable (Int) -> Event,
    progress: (@Sendable (Int) -> Void)? = nil
  ) async throws -> ThroughputResult {
    let tally = Tally(window: window)
    let waitsBefore = LockWaits.now()
    let start = ContinuousClock.now
    await onThread {
      for i in 0..<count {
        tally.admit()
        parley.submit(event(i)) { tally.settle($0) }
        if let progress, i % 100_000 == 99_999 { progress(i + 1) }
      }
      tally.drain()
    }
    let elapsed = ContinuousClock.now - start
    let waits = LockWaits.now()
    let outcome = try tally.outcome()
    precondition(outcome.explained > 0 || count == 0)
    return ThroughputResult(
      events: count, seconds: elapsed.seconds, verdicts: outcome.verdicts,
      failures: outcome.failures, lockWaits: waits.waited - waitsBefore.waited,
      lockSleeps: waits.slept - waitsBefore.slept)
  }

  /// Offers `count` events at a steady `perSecond`, each at its scheduled
  /// time whether or not earlier ones are done, and measures each from its
  /// scheduled time to its decision (so a stall counts against every event
  /// it delays, not only the first). The first `warmup` events run at the
  /// same pace but are not measured: a fresh host's first seconds (tables
  /// and allocator arenas growing) say nothing about its steady state.
  public static func latency(
    _ parley: Parley, count: Int, warmup: Int = 0, perSecond: Double,
    event: @escaping @Sendable (Int) -> Event
  ) async throws -> LatencyResult {
    let tally = Tally(window: .max)
    let result = await paced(count: count, warmup: warmup, perSecond: perSecond) { i, record in
      tally.admit()
      parley.submit(event(i)) { result in
        record()
        tally.settle(result)
      }
    } finish: {
      tally.drain()
    }
    _ = try tally.outcome()
    return result
  }

  /// The same pace with no engine: each "event" is measured the moment the
  /// pacer wakes for it. What this machine and the pacer add on their own
  /// (a late wake-up, a core lent elsewhere for milliseconds), the floor
  /// under ``latency(_:count:warmup:perSecond:event:)`` in the same run.
  public static func pacerAlone(count: Int, warmup: Int = 0, perSecond: Double) async
    -> LatencyResult
  {
    await paced(count: count, warmup: warmup, perSecond: perSecond) { _, record in
      record()
    } finish: {
    }
  }

  /// Calls `send` for each event at its due time, on a thread of its own
  /// (async sleeps are too coarse for tens of thousands of events per
  /// second); `send` calls `record` once the event is done, from any thread.
  private static func paced(
    count: Int, warmup: Int, perSecond: Double,
    send: @escaping @Sendable (_ index: Int, _ record: @escaping @Sendable () -> Void) -> Void,
    finish: @escaping @Sendable () -> Void
  ) async -> LatencyResult {
    // Each event writes its own slot, with no lock the workers would meet
    // on; the histogram is filled once the run is over.
    let latencies = Latencies(count: count)
    let interval = 1e9 / perSecond
    let pacer = Pacer()
    await onThread {
      let start = Pacer.now()
      for i in 0..<(warmup + count) {
        let due = start + UInt64(Double(i) * interval)
        pacer.wait(until: due)
        let slot = i - warmup
        send(i) {
          guard slot >= 0 else { return }
          latencies.record(Pacer.now() &- due, at: slot)
        }
      }
      finish()
    }
    var h = Histogram<UInt64>(
      highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
    for latency in latencies.recorded { _ = h.record(latency) }
    return LatencyResult(
      offeredPerSecond: perSecond, events: count,
      p50Nanoseconds: h.valueAtPercentile(50), p99Nanoseconds: h.valueAtPercentile(99),
      p999Nanoseconds: h.valueAtPercentile(99.9), maxNanoseconds: h.max)
  }
}

/// One latency per measured event, each written once by whichever thread
/// finished the event and read only after the run's `finish` returned:
/// for the engine that is the tally's drain, whose lock every completion
/// took after writing, so every write happens before the reads.
private final class Latencies: @unchecked Sendable {
  private let slots: UnsafeMutableBufferPointer<UInt64>

  init(count: Int) {
    slots = .allocate(capacity: count)
    slots.initialize(repeating: 0)
  }

  deinit { slots.deallocate() }

  func record(_ nanoseconds: UInt64, at slot: Int) { slots[slot] = nanoseconds }

  /// Every latency; read only once the run is over.
  var recorded: UnsafeMutableBufferPointer<UInt64> { slots }
}

extension Duration {
  /// The duration in seconds, as a floating-point number for rates.
  public var seconds: Double {
    Double(components.seconds) + Double(components.attoseconds) / 1e18
  }
}
