import Foundation

/// The core's part in appeals: who may appeal what and when, and what an
/// overturned decision gives back. Rules see both events, but cannot change
/// these answers.
enum Appeals {
  /// Why the core refuses to file an appeal, or nil when it is filed.
  static func refusal(of appeal: Appeal, context: EventContext, now: Date) -> String? {
    guard let appealed = context.appealed else { return "there is no such decision" }
    if case .appealFiled = appealed.event { return "an appeal's own decision cannot be appealed" }
    if case .appealResolved = appealed.event { return "a moderator's answer to an appeal is final" }
    if case .reviewResolved(let review) = appealed.event, review.outcome == .approved,
      appealed.verdict < .hold,
      !appealed.effects.contains(where: { if case .mute = $0.effect { true } else { false } })
    {
      return "a moderator approved this post; there is nothing to appeal"
    }
    guard appealed.notice?.member == appeal.member else {
      return "only the member the decision acted on can appeal it"
    }
    if context.appeal != nil {
      return "this decision has already been appealed (one appeal per decision)"
    }
    let window = context.community.appeals.windowDays
    if now.timeIntervalSince(appealed.decidedAt) > Double(window) * 86_400 {
      return "decisions can be appealed for \(window) days; this one is older"
    }
    return nil
  }

  /// Why the core refuses a moderator's answer, or nil when it stands.
  static func refusal(of resolution: AppealResolution, context: EventContext) -> String? {
    guard let record = context.appeal else { return "there is no appeal against this decision" }
    guard record.isPending else {
      return
        "the appeal was already \(record.outcome?.rawValue ?? "answered") by \(record.moderator ?? "a moderator")"
    }
    return nil
  }

  /// What overturning a decision gives back to the member.
  static func reversal(of appealed: Decision) -> [Effect] {
    var effects: [Effect] = []
    var removedByModerator = false
    if case .reviewResolved(let review) = appealed.event {
      removedByModerator = review.outcome == .rejected
    }
    if appealed.verdict >= .hold || removedByModerator, let message = appealed.messageID {
      effects.append(.restore(message: message))
    }
    for decided in appealed.effects {
      if case .mute(let member, _, _) = decided.effect, !effects.contains(.liftMute(member: member))
      {
        effects.append(.liftMute(member: member))
      }
    }
    return effects
  }

  /// The appeal as the store keeps it once filed.
  static func record(_ appeal: Appeal, appealed: Decision, at now: Date) -> AppealRecord {
    AppealRecord(
      decision: appealed.id, community: appealed.community, member: appeal.member,
      text: appeal.text, filedAt: now, message: appealed.messageID, verdict: appealed.verdict,
      rules: appealed.deciding.map(\.source), reasons: appealed.deciding.map(\.reason))
  }

  static let summary = RuleSummary(
    title: "Appeals", description: "Members may ask the moderators to look again at a decision.",
    plugin: "parley")
}

extension Provenance {
  /// The core itself, when it files, refuses or settles an appeal.
  public static let appeals = Provenance(plugin: "parley", rule: "appeals", location: "Parley core")
}
