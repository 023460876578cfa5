import Foundation

/// How one rule fares: how often it fired, what it proposed, and how the
/// content it held or removed fared when moderators looked.
public struct RuleHealth: Sendable, Hashable {
  /// The rule, with the location it was last seen at.
  public var rule: Provenance
  /// Decisions it took part in: a verdict, an effect or a failure.
  public var fired = 0
  /// Its verdicts, by kind.
  public var verdicts: [Verdict: Int] = [:]
  /// Effects it asked for.
  public var effects = 0
  /// Events it failed on (errors and exhausted budgets).
  public var failures = 0
  /// Decisions where it held or removed content.
  public var actioned = 0
  /// Of those, what moderators kept.
  public var confirmed = 0
  /// Of those, what moderators reversed.
  public var overturned = 0

  public init(rule: Provenance) { self.rule = rule }

  /// Actioned decisions nobody has judged yet.
  public var pending: Int { actioned - confirmed - overturned }

  /// Confirmed out of judged, from 0 to 1; nil until a moderator judged one.
  public var precision: Double? {
    confirmed + overturned == 0 ? nil : Double(confirmed) / Double(confirmed + overturned)
  }

  /// Every rule in a stretch of the audit log (oldest first), worst first:
  /// lowest precision, then most overturned, then most failures; rules
  /// nobody has judged come after those that were.
  public static func report(history: [Decision]) -> [RuleHealth] {
    let judgements = Judgements(history: history)
    var rules: [String: RuleHealth] = [:]
    func update(_ source: Provenance, _ body: (inout RuleHealth) -> Void) {
      body(&rules[source.name, default: RuleHealth(rule: source)])
      rules[source.name]?.rule = source
    }
    for decision in history {
      var involved = Set<String>()
      for proposal in decision.verdicts {
        update(proposal.source) { $0.verdicts[proposal.verdict, default: 0] += 1 }
        involved.insert(proposal.source.name)
      }
      for decided in decision.effects {
        update(decided.source) { $0.effects += 1 }
        involved.insert(decided.source.name)
      }
      for failure in decision.failures {
        update(failure.source) { $0.failures += 1 }
        involved.insert(failure.source.name)
      }
      for name in involved { rules[name]?.fired += 1 }
      guard let judgement = judgements[decision.id] else { continue }
      let actioning = Set(decision.verdicts.filter { $0.verdict >= .hold }.map(\.source.name))
      for name in actioning {
        rules[name]?.actioned += 1
        if judgement == .confirmed { rules[name]?.confirmed += 1 }
        if judgement == .overturned { rules[name]?.overturned += 1 }
      }
    }
    return rules.values.sorted(by: worstFirst)
  }

  private static func worstFirst(_ a: RuleHealth, _ b: RuleHealth) -> Bool {
    switch (a.precision, b.precision) {
    case (let x?, let y?) where x != y: return x < y
    case (.some, nil): return true
    case (nil, .some): return false
    default: break
    }
    if a.overturned != b.overturned { return a.overturned > b.overturned }
    if a.failures != b.failures { return a.failures > b.failures }
    if a.fired != b.fired { return a.fired > b.fired }
    return a.rule.name < b.rule.name
  }
}

extension RuleHealth {
  /// A table for a terminal, one rule a line, in the order given.
  public static func table(_ rules: [RuleHealth]) -> String {
    let header = [
      "rule", "fired", "flag", "hold", "remove", "effects", "failed", "confirmed", "overturned",
      "pending", "precision",
    ]
    let rows = rules.map { health -> [String] in
      [
        health.rule.name, "\(health.fired)", "\(health.verdicts[.flag] ?? 0)",
        "\(health.verdicts[.hold] ?? 0)", "\(health.verdicts[.remove] ?? 0)", "\(health.effects)",
        "\(health.failures)", "\(health.confirmed)", "\(health.overturned)", "\(health.pending)",
        health.precision.map { "\(Int(($0 * 100).rounded()))%" } ?? "-",
      ]
    }
    let widths = header.indices.map { column in
      ([header] + rows).map { $0[column].count }.max() ?? 0
    }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { column, cell in
        let pad = String(repeating: " ", count: widths[column] - cell.count)
        return column == 0 ? cell + pad : pad + cell
      }.joined(separator: "  ")
    }
    return ([line(header)] + rows.map(line)).joined(separator: "\n")
  }
}
