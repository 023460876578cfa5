import Foundation
import Parley

/// Per-rule costs as a table for people: slowest first, with each rule's
/// share of the time spent in rules, so a rule author sees what to fix.
public enum RuleCostTable {
  public static func render(_ costs: [RuleCost]) -> String {
    let ran = costs.filter { $0.calls > 0 }
    guard !ran.isEmpty else { return "no rule ran\n" }
    let total = ran.reduce(Int64(0)) { $0 + $1.totalNanoseconds }
    var rows: [[String]] = [["rule", "calls", "mean µs", "p99 µs", "share", "failures", "where"]]
    for cost in ran.sorted(by: { $0.totalNanoseconds > $1.totalNanoseconds }) {
      rows.append([
        "\(cost.plugin)/\(cost.rule)", "\(cost.calls)",
        String(format: "%.2f", cost.meanNanoseconds / 1000),
        String(format: "%.2f", Double(cost.durations.percentile(0.99)) / 1000),
        String(
          format: "%.1f%%", total == 0 ? 0 : Double(cost.totalNanoseconds) * 100 / Double(total)),
        "\(cost.failures)", cost.location,
      ])
    }
    let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    var out = ""
    for (i, row) in rows.enumerated() {
      let cells = row.enumerated().map { column, cell in
        let pad = String(repeating: " ", count: widths[column] - cell.count)
        // Numbers right-aligned, names left-aligned.
        return (1...5).contains(column) ? pad + cell : cell + pad
      }
      out += cells.joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
      if i == 0 {
        out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
      }
    }
    return out
  }

  /// The same for machines: one object with the run and a list of rules.
  public static func json(_ costs: [RuleCost], events: Int, seconds: Double, workers: Int) -> String
  {
    struct Rule: Encodable {
      var plugin, rule, location: String
      var calls, failures: Int
      var meanMicroseconds, p99Microseconds, share: Double
    }
    struct Run: Encodable {
      var events, workers: Int
      var seconds, eventsPerSecond: Double
      var rules: [Rule]
    }
    let total = costs.reduce(Int64(0)) { $0 + $1.totalNanoseconds }
    let rules = costs.sorted { $0.totalNanoseconds > $1.totalNanoseconds }.map { cost in
      Rule(
        plugin: cost.plugin, rule: cost.rule, location: cost.location, calls: cost.calls,
        failures: cost.failures, meanMicroseconds: cost.meanNanoseconds / 1000,
        p99Microseconds: Double(cost.durations.percentile(0.99)) / 1000,
        share: total == 0 ? 0 : Double(cost.totalNanoseconds) / Double(total))
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    let run = Run(
      events: events, workers: workers, seconds: seconds,
      eventsPerSecond: Double(events) / seconds, rules: rules)
    return (try? String(decoding: encoder.encode(run), as: UTF8.self)) ?? "{}"
  }
}
