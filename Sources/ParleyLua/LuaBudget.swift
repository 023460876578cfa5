/// Limits on one call into Lua.
///
/// The instruction budget is checked every 1,000 VM instructions (or every
/// `instructions` when smaller) and by the sandbox's string and table
/// functions, which charge their inner loops to it; the deadline is checked at
/// the same points. Memory is a ceiling on the whole state: see
/// ``LuaState/Configuration/memoryLimit``.
///
/// ```swift
/// try lua.call(rule, with: [event], budget: LuaBudget(instructions: 100_000, time: .milliseconds(5)))
/// ```
public struct LuaBudget: Sendable, Hashable {
  /// The most VM instructions (and charged library steps) the call may run.
  public var instructions: Int
  /// The wall-clock time the call may take.
  public var time: Duration {
    didSet { timeNanoseconds = Self.nanoseconds(time) }
  }
  /// `time` in nanoseconds, worked out once: every rule call passes it to C,
  /// and taking a `Duration` apart is 128-bit arithmetic.
  private(set) var timeNanoseconds: Int64

  /// Creates a budget.
  public init(instructions: Int, time: Duration) {
    self.instructions = instructions
    self.time = time
    self.timeNanoseconds = Self.nanoseconds(time)
  }

  /// Ten million instructions and one second: generous for one rule call.
  public static let `default` = LuaBudget(instructions: 10_000_000, time: .seconds(1))

  private static func nanoseconds(_ time: Duration) -> Int64 {
    let (seconds, attoseconds) = time.components
    return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
  }
}
