import Foundation
import ParleyLua

/// Turns the rules' outcomes into one decision, then applies what no rule may
/// override: a member's consent, and automated replies labelled as such.
enum Combiner {
  static func decide(
    _ event: Event, context: EventContext,
    outcomes: RuleOutcomes,
    members: [String: Member], revision: String, now: Date, id: String = Decision.newID()
  ) -> Decision {
    var verdicts: [VerdictProposal] = []
    var effects: [DecidedEffect] = []
    var seen: Set<Effect> = []
    var failures: [RuleFailure] = []
    for (rule, outcome) in outcomes {
      switch outcome {
      case .proposed(let proposals):
        for proposal in proposals {
          switch proposal {
          case .verdict(let verdict, let reason, let notice):
            verdicts.append(
              VerdictProposal(
                verdict: verdict, reason: reason, source: rule.source, notice: notice,
                rule: RuleSummary(
                  title: rule.title, description: rule.description, plugin: rule.manifest.name)))
          case .effect(let effect):
            if seen.insert(effect).inserted {
              effects.append(DecidedEffect(effect: effect, source: rule.source))
            }
          }
        }
      case .failed(let error):
        let applied = rule.manifest.failureMode.verdict
        failures.append(
          RuleFailure(
            source: rule.source, error: error.description, kind: failureKind(error.kind),
            applied: applied))
        verdicts.append(
          VerdictProposal(
            verdict: applied,
            reason:
              "rule failed; plugin '\(rule.manifest.name)' fails \(rule.manifest.failureMode.rawValue)",
            source: rule.source,
            notice: applied == .allow
              ? nil
              : "One of the community's checks could not run on it, so a moderator will look.",
            rule: RuleSummary(
              title: rule.title, description: rule.description, plugin: rule.manifest.name)
          ))
      }
    }
    if let muted = mutedAuthor(event, context: context, now: now) { verdicts.append(muted) }
    switch event {
    case .appealFiled(let appeal):
      if let why = Appeals.refusal(of: appeal, context: context, now: now) {
        verdicts.append(
          VerdictProposal(
            verdict: .remove, reason: "appeal refused: \(why)", source: .appeals, notice: why,
            rule: Appeals.summary))
      }
    case .appealResolved(let resolution):
      if let why = Appeals.refusal(of: resolution, context: context) {
        verdicts.append(
          VerdictProposal(
            verdict: .remove, reason: "answer refused: \(why)", source: .appeals,
            rule: Appeals.summary))
      } else if resolution.outcome == .overturned, let appealed = context.appealed {
        for effect in Appeals.reversal(of: appealed) where seen.insert(effect).inserted {
          effects.append(DecidedEffect(effect: effect, source: .appeals))
        }
      }
    default:
      break
    }
    verdicts.sort { $0.verdict > $1.verdict }

    var allowed: [DecidedEffect] = []
    var blocked: [BlockedEffect] = []
    let verdict = verdicts.first?.verdict ?? .allow
    for var decided in effects {
      if case .reply(let text, let to, let purpose, _) = decided.effect {
        decided.effect = .reply(text: text, to: to, purpose: purpose, automated: true)
      }
      if let why = unearned(decided.effect, event: event, verdict: verdict)
        ?? refusal(of: decided.effect, members: members)
      {
        blocked.append(BlockedEffect(effect: decided.effect, source: decided.source, why: why))
      } else {
        allowed.append(decided)
      }
    }
    let notice = MemberNotice.make(
      event: event, context: context, verdict: verdict,
      deciding: verdicts.filter { $0.verdict == verdict }, effects: allowed)
    // The memberwise initializer (`id` last) builds the decision in place.
    return Decision(
      event: event, community: context.community.id, verdict: verdict,
      verdicts: verdicts, effects: allowed, blocked: blocked, failures: failures,
      revision: revision, decidedAt: now, notice: notice, id: id)
  }

  /// A muted member's post or edit is held, whatever the rules say: a mute
  /// a rule gave must mean something even if no rule checks for it.
  static func mutedAuthor(_ event: Event, context: EventContext, now: Date) -> VerdictProposal? {
    switch event {
    case .messagePosted, .messageEdited: break
    default: return nil
    }
    guard let until = context.member?.mutedUntil, until > now else { return nil }
    let minutes = Int((until.timeIntervalSince(now) / 60).rounded(.up))
    return VerdictProposal(
      verdict: .hold,
      reason: "the author is muted for \(minutes) more minute\(minutes == 1 ? "" : "s"); "
        + "a moderator can approve the post",
      source: .mutedAuthor,
      rule: RuleSummary(
        title: "Muted members wait", description: "A muted member's posts wait for a moderator.",
        plugin: "parley"))
  }

  /// A post that is held or removed earns nothing: points for it would
  /// reward spam and abuse before a moderator has looked.
  static func unearned(_ effect: Effect, event: Event, verdict: Verdict) -> String? {
    guard case .score(_, let points, _) = effect, points > 0, verdict >= .hold else { return nil }
    switch event {
    case .messagePosted, .messageEdited:
      return "the post was \(verdict == .hold ? "held for review" : "removed"); it earns no points"
    default: return nil
    }
  }

  /// Why the core refuses an effect, or nil when it may go ahead.
  static func refusal(of effect: Effect, members: [String: Member]) -> String? {
    // `members` holds only members of the event's community: a rule cannot
    // give points to, or mute, someone in another community.
    if let id = effect.changedMember, members[id] == nil {
      return "no member '\(id)' in this community"
    }
    guard let (id, purpose) = effect.recipient else { return nil }
    // A public answer in the thread the member wrote in needs no consent;
    // anything promotional, or anything private, needs the member's yes.
    if case .reply = effect, !purpose.isPromotional { return nil }
    guard let member = members[id] else { return "no member '\(id)' in this community" }
    guard member.consents[purpose] else {
      return "\(id) has not consented to \(purpose.rawValue)"
    }
    return nil
  }

  static func failureKind(_ kind: LuaError.Kind) -> String {
    switch kind {
    case .instructionBudget: "instructions"
    case .memoryBudget: "memory"
    case .timeBudget: "time"
    case .stackOverflow: "stack"
    default: "error"
    }
  }
}
