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

  public init(_ start: Date = Date(timeIntervalSince1970: 1_764_000_000)) {
    current = Locked(start)
  }

  public var now: Date { current.withLock { $0 } }

  /// Moves the clock forward.
  public func advance(minutes: Double) {
    current.withLock { $0 += minutes * 60 }
  }

  /// Sets the clock; it may not go back.
  public func set(_ date: Date) {
    current.withLock { $0 = max($0, date) }
  }
}
