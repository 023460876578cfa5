import Foundation

/// Where Parley's time comes from: rules' `parley.now()`, timers, decisions.
public protocol ParleyClock: Sendable {
  var now: Date { get }
}

/// The system's wall clock.
public struct SystemClock: ParleyClock {
  public init() {}
  public var now: Date { Date() }
}

/// A clock that moves only when told: for tests, specs and replays.
public final class ManualClock: ParleyClock {
  private let current: Locked<Date>
  /// `current`, published for readers: every event reads the clock, and
  /// two workers reading it through the lock met there on every event.
  private let published: AtomicWord

  public init(_ start: Date = Date(timeIntervalSince1970: 1_764_000_000)) {
    current = Locked(start)
    published = AtomicWord(start.timeIntervalSinceReferenceDate.bitPattern)
  }

  public var now: Date {
    Date(timeIntervalSinceReferenceDate: Double(bitPattern: published.load()))
  }

  /// Moves the clock forward.
  public func advance(minutes: Double) {
    change { $0 += minutes * 60 }
  }

  /// Sets the clock; it may not go back.
  public func set(_ date: Date) {
    change { $0 = max($0, date) }
  }

  /// Changes are made one at a time, so each publishes the time it made.
  /// The lock keeps the date itself rather than nothing: a `Locked<Void>`'s
  /// empty value shares its address with the lock's pointer, and
  /// ThreadSanitizer reports reading the one while changing the other.
  private func change(_ body: (inout Date) -> Void) {
    current.withLock { date in
      body(&date)
      published.store(date.timeIntervalSinceReferenceDate.bitPattern)
    }
  }
}
