/// What one rule has cost since its revision loaded, over every worker: how
/// often it ran and how long it took.
///
/// The engine keeps these for every rule all the time (one clock read per
/// rule call and one lock per event), so `parley bench` and a host's own
/// metrics can show which rule to fix.
public struct RuleCost: Sendable, Hashable {
  public var plugin: String
  public var rule: String
  /// `file:line` of the rule's declaration.
  public var location: String
  /// How many times the rule ran.
  public var calls: Int
  /// How many of those calls failed (error, budget).
  public var failures: Int
  /// Time spent in the rule, in nanoseconds.
  public var totalNanoseconds: Int64
  /// Call durations on a log scale, for percentiles.
  public var durations: DurationHistogram

  public init(
    plugin: String, rule: String, location: String, calls: Int, failures: Int,
    totalNanoseconds: Int64, durations: DurationHistogram
  ) {
    self.plugin = plugin
    self.rule = rule
    self.location = location
    self.calls = calls
    self.failures = failures
    self.totalNanoseconds = totalNanoseconds
    self.durations = durations
  }

  /// Adds another count of the same rule (another worker, another run).
  public mutating func merge(_ other: RuleCost) {
    calls += other.calls
    failures += other.failures
    totalNanoseconds += other.totalNanoseconds
    durations.add(other.durations)
  }

  /// The mean duration of one call, in nanoseconds.
  public var meanNanoseconds: Double {
    calls == 0 ? 0 : Double(totalNanoseconds) / Double(calls)
  }
}

/// A histogram of durations in fixed log-scale buckets: eight per doubling,
/// so a percentile is within 9 % of the true value. Fixed size, no
/// allocation when recording: cheap enough to keep on for every rule call.
public struct DurationHistogram: Sendable, Hashable {
  static let subBuckets = 8
  static let bucketCount = 64 * subBuckets
  private(set) var counts: [UInt32] = Array(repeating: 0, count: bucketCount)
  /// How many durations were recorded.
  public private(set) var count: Int = 0

  public init() {}

  static func bucket(of nanoseconds: Int64) -> Int {
    let value = UInt64(max(1, nanoseconds))
    let octave = 63 - value.leadingZeroBitCount
    // The three bits below the leading one pick the sub-bucket.
    let fraction =
      octave >= 3 ? Int((value >> UInt64(octave - 3)) & 7) : Int(value << UInt64(3 - octave)) & 7
    return octave * subBuckets + fraction
  }

  /// The smallest duration a bucket holds.
  static func lowerBound(of bucket: Int) -> Int64 {
    let octave = bucket / subBuckets
    let fraction = Int64(bucket % subBuckets)
    return octave >= 3 ? (8 + fraction) << Int64(octave - 3) : (8 + fraction) >> Int64(3 - octave)
  }

  mutating func record(_ nanoseconds: Int64) {
    counts[Self.bucket(of: nanoseconds)] &+= 1
    count += 1
  }

  mutating func add(_ other: DurationHistogram) {
    for i in counts.indices { counts[i] &+= other.counts[i] }
    count += other.count
  }

  /// The duration at or below which `fraction` (0...1) of the calls took,
  /// in nanoseconds (the upper edge of its bucket); 0 when nothing was recorded.
  public func percentile(_ fraction: Double) -> Int64 {
    guard count > 0 else { return 0 }
    let wanted = max(1, Int((fraction * Double(count)).rounded(.up)))
    var seen = 0
    for (bucket, n) in counts.enumerated() where n > 0 {
      seen += Int(n)
      if seen >= wanted { return Self.lowerBound(of: min(bucket + 1, Self.bucketCount - 1)) }
    }
    return Self.lowerBound(of: Self.bucketCount - 1)
  }
}
