/// What happens to the content an event is about, from least to most severe.
public enum Verdict: String, Sendable, Codable, Hashable, Comparable, CaseIterable {
  case allow, flag, hold, remove

  private var severity: Int {
    switch self {
    case .allow: 0
    case .flag: 1
    case .hold: 2
    case .remove: 3
    }
  }

  public static func < (lhs: Verdict, rhs: Verdict) -> Bool { lhs.severity < rhs.severity }
}
