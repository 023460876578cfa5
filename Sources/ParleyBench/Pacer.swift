import Foundation

/// Waits until points in time, sleeping rather than spinning a core that the
/// engine's workers need. Linux wakes a sleeper up to 50 µs late (timer
/// slack); events are measured from when they were due, so lateness counts
/// against Parley, not for it.
final class Pacer: Sendable {
  static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

  func wait(until due: UInt64) {
    while true {
      let now = Pacer.now()
      guard now < due else { return }
      let left = due - now
      var request = timespec(tv_sec: Int(left / 1_000_000_000), tv_nsec: Int(left % 1_000_000_000))
      _ = nanosleep(&request, nil)
    }
  }
}
