import Foundation
import Parley

/// Renders a simulation: each event with its decision, then totals.
public struct SimulationReport {
  public private(set) var steps: [SimulationStep] = []
  private let time: DateFormatter = {
    let formatter = DateFormatter()
    formatter.dateFormat = "MMM d HH:mm"
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.locale = Locale(identifier: "en_US_POSIX")
    return formatter
  }()

  public init() {}

  public mutating func record(_ step: SimulationStep) { steps.append(step) }

  /// One event and its explanation, for people.
  public func table(_ step: SimulationStep) -> String {
    var lines = ["[\(time.string(from: step.at))] \(step.headline)"]
    lines += step.decision.explanation.split(separator: "\n").map { "    " + $0 }
    if let notice = step.decision.notice {
      let text = notice.text.split(separator: "\n")
      lines.append("    notice to \(notice.member): \(text.first ?? "")")
      lines += text.dropFirst().map { "      " + $0 }
    }
    return lines.joined(separator: "\n")
  }

  /// One event and its decision as a JSON object on one line.
  public func jsonLine(_ step: SimulationStep) -> String {
    struct Line: Encodable {
      var line: Int?
      var at: Date
      var event: String
      var verdict: String
      var rules: [String]
      var explanation: String
      var decision: Decision
    }
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let value = Line(
      line: step.line, at: step.at, event: step.headline, verdict: step.decision.verdict.rawValue,
      rules: SimulationReport.rules(of: step.decision), explanation: step.decision.explanation,
      decision: step.decision)
    return (try? String(decoding: encoder.encode(value), as: UTF8.self)) ?? "{}"
  }

  /// Totals per verdict and per rule.
  public var totals: String {
    var verdicts: [Verdict: Int] = [:]
    var rules: [String: Int] = [:]
    for step in steps {
      verdicts[step.decision.verdict, default: 0] += 1
      for rule in SimulationReport.rules(of: step.decision) { rules[rule, default: 0] += 1 }
    }
    var lines = [
      "\(steps.count) events. Verdicts: "
        + Verdict.allCases.map { "\($0.rawValue) \(verdicts[$0] ?? 0)" }.joined(separator: ", ")
    ]
    lines.append("Rules that acted (events):")
    for (rule, count) in rules.sorted(by: {
      $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key
    }) {
      lines.append(
        "  \(String(repeating: " ", count: max(0, 4 - String(count).count)))\(count)  \(rule)")
    }
    return lines.joined(separator: "\n")
  }

  /// Per plugin: in how many events it acted (a verdict other than allow,
  /// an effect, a blocked effect or a failure), its verdicts, and the
  /// explanation of the first event it held, removed or flagged (or else
  /// the first it acted on), so a reader sees every plugin at work.
  public var plugins: String {
    struct Tally {
      var events = 0
      var verdicts: [Verdict: Int] = [:]
      var effects: [String: Int] = [:]
      var example: SimulationStep?
      var exampleIsVerdict = false
    }
    var tallies: [String: Tally] = [:]
    for step in steps {
      let d = step.decision
      var acted: Set<String> = []
      for v in d.verdicts where v.verdict != .allow {
        tallies[v.source.plugin, default: Tally()].verdicts[v.verdict, default: 0] += 1
        acted.insert(v.source.plugin)
        if tallies[v.source.plugin]!.exampleIsVerdict == false {
          tallies[v.source.plugin]!.example = step
          tallies[v.source.plugin]!.exampleIsVerdict = true
        }
      }
      for e in d.effects {
        tallies[e.source.plugin, default: Tally()].effects[e.effect.kind, default: 0] += 1
        acted.insert(e.source.plugin)
      }
      for b in d.blocked { acted.insert(b.source.plugin) }
      for f in d.failures { acted.insert(f.source.plugin) }
      for plugin in acted {
        tallies[plugin, default: Tally()].events += 1
        if tallies[plugin]!.example == nil { tallies[plugin]!.example = step }
      }
    }
    var lines = ["Plugins that acted:"]
    for (plugin, tally) in tallies.sorted(by: { $0.key < $1.key }) {
      let verdicts = Verdict.allCases.reversed().compactMap { v in
        tally.verdicts[v].map { "\(v.rawValue) \($0)" }
      }
      let effects = tally.effects.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
      var parts = ["\(tally.events) events"]
      if !verdicts.isEmpty { parts.append("verdicts " + verdicts.joined(separator: ", ")) }
      if !effects.isEmpty { parts.append("effects " + effects.joined(separator: ", ")) }
      lines.append("  \(plugin): " + parts.joined(separator: "; "))
      if let example = tally.example {
        lines.append("    e.g. \(example.headline)")
        lines += example.decision.explanation.split(separator: "\n").map { "      " + $0 }
      }
    }
    return lines.joined(separator: "\n")
  }

  /// The rules that set the verdict or asked for an effect, failed or were blocked.
  static func rules(of decision: Decision) -> [String] {
    var names: [String] = []
    func add(_ source: Provenance) { if !names.contains(source.name) { names.append(source.name) } }
    for source in decision.verdicts.map(\.source) + decision.effects.map(\.source)
      + decision.blocked.map(\.source) + decision.failures.map(\.source)
    {
      add(source)
    }
    return names
  }
}
