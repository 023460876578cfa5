import Foundation

/// Fresh decision ids without a system call per decision.
///
/// An id is `d-`, 12 hex digits drawn at random once per process, and 12
/// hex digits of a counter. Hosts sharing a database draw different prefixes
/// (two of a thousand processes share one with odds of about 1 in 500
/// million), and a process would need 2^48 decisions to wrap its counter.
/// `UUID()` read `/dev/urandom` on every call: 16 % of an event's time.
enum DecisionID {
  private static let prefix: [UInt8] = {
    var generator = SystemRandomNumberGenerator()
    let random = generator.next() as UInt64
    return (0..<12).map { i in hexDigit(random >> UInt64(44 - 4 * i)) }
  }()
  private static let counter = AtomicWord(0)

  static func next() -> String {
    let count = counter.add(1)
    return String(unsafeUninitializedCapacity: 26) { buffer in
      buffer[0] = UInt8(ascii: "d")
      buffer[1] = UInt8(ascii: "-")
      for i in 0..<12 {
        buffer[2 + i] = prefix[i]
        buffer[14 + i] = hexDigit(count >> UInt64(44 - 4 * i))
      }
      return 26
    }
  }

  /// The low four bits of `value` as a lower-case hex digit.
  private static func hexDigit(_ value: UInt64) -> UInt8 {
    let nibble = UInt8(truncatingIfNeeded: value & 0xF)
    return nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
  }
}
