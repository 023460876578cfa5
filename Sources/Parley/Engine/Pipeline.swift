import Foundation

/// The steps of handling an event that neither wait nor touch a Lua state,
/// shared by the engine and the spec runner's synchronous engine.
enum Pipeline {
  /// The members a decision touches besides the event's own: whoever its
  /// effects reach, and the author of the message a post replies to.
  static func involvedMembers(
    _ event: Event, context: EventContext,
    outcomes: [(rule: LoadedRule, plugin: PluginManifest, outcome: RuleOutcome)]
  ) -> Set<String> {
    var wanted: Set<String> = []
    for case .proposed(let proposals) in outcomes.map(\.outcome) {
      for case .effect(let effect) in proposals {
        switch effect {
        case .contact(let member, _, _), .score(let member, _, _), .mute(let member, _, _):
          wanted.insert(member)
        case .reply(_, let to?, _, _): wanted.insert(to)
        default: break
        }
      }
    }
    if case .messagePosted(let message) = event, let replyTo = message.replyTo,
      let replied = context.recentMessages.first(where: { $0.id == replyTo })
    {
      wanted.insert(replied.author)
    }
    return wanted
  }

  /// Combines the outcomes into the decision and what it changes.
  static func finish(
    _ event: Event, context: EventContext,
    outcomes: [(rule: LoadedRule, plugin: PluginManifest, outcome: RuleOutcome)],
    members: [String: Member], revision: String, now: Date, id: String = Decision.newID()
  ) -> (Decision, Changes) {
    let decision = Combiner.decide(
      event, context: context, outcomes: outcomes, members: members, revision: revision, now: now,
      id: id)
    return (decision, Consequences.changes(for: decision, context: context, now: now))
  }
}
