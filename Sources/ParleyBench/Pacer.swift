import Foundation

/// Waits until points in time, sleeping rather than spinning a core that the
/// engine's workers need. Linux wakes a sleeper up to 50 µs late (timer
/// slack), so events due 20 µs apart often go several at once; events are
/// measured from when they were due, so lateness counts against Parley, not
/// for it. (Asking for 1 ns of slack made things worse on two cores: the
/// pacer's 50,000 wake-ups a second then took the lanes' cores from them.)
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
