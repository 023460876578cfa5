import Foundation

/// The steps of handling an event that neither wait nor touch a Lua state,
/// shared by the engine and the spec runner's synchronous engine.
enum Pipeline {
  /// The members a decision touches besides the event's own: whoever its
  /// effects reach, and the author of the message a post replies to. Nil
  /// when no rule proposed an effect, as for most posts: then no member is
  /// looked up.
  static func involvedMembers(
    _ event: Event, context: EventContext,
    outcomes: RuleOutcomes
  ) -> Set<String>? {
    guard rulesProposedEffects(outcomes) else { return nil }
    var wanted: Set<String> = []
    for (_, outcome) in outcomes {
      guard case .proposed(let proposals) = outcome else { continue }
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
      let replied = context.recentMessage(replyTo)
    {
      wanted.insert(replied.author)
    }
    return wanted
  }

  /// Whether a rule proposed an effect: only rules' effects read the
  /// members ``members(of:involved:lookup:)`` finds (an overturned appeal's
  /// reversal, restoring a post and lifting a mute, names no member to check).
  static func rulesProposedEffects(_ outcomes: RuleOutcomes) -> Bool {
    // Through the elements in place: a loop binding each would retain every
    // rule and proposal list, for an answer that is almost always no.
    outcomes.contains { ran in
      guard case .proposed(let proposals) = ran.outcome else { return false }
      return proposals.contains { if case .effect = $0 { true } else { false } }
    }
  }

  /// The members a decision may name: the event's own, and each involved
  /// member `lookup` finds in the event's community (a member of another
  /// community is never named, whatever a rule proposed). None when
  /// `involved` is nil: the decision can touch no member.
  static func members(
    of context: EventContext, involved: Set<String>?, lookup: (String) throws -> Member?
  ) rethrows -> [String: Member] {
    guard let involved else { return [:] }
    var members: [String: Member] = [:]
    if let member = context.member { members[member.id] = member }
    for id in involved where members[id] == nil {
      if let member = try lookup(id), member.community == context.community.id {
        members[id] = member
      }
    }
    return members
  }

  /// Combines the outcomes into the decision and what it changes.
  static func finish(
    _ event: Event, context: EventContext,
    outcomes: RuleOutcomes,
    members: [String: Member], revision: String, now: Date, id: String = Decision.newID()
  ) -> (Decision, Changes) {
    let decision = Combiner.decide(
      event, context: context, outcomes: outcomes, members: members, revision: revision, now: now,
      id: id)
    return (decision, Consequences.changes(for: decision, context: context, now: now))
  }
}

extension Pipeline {
  /// Handles one event start to end on a store that answers at once: what
  /// the spec runner runs for each step.
  static func decide(
    _ event: Event, worker: Worker, store: any SynchronousStore, recentMessages: Int, now: Date,
    id: String = Decision.newID()
  ) throws -> (
    decision: Decision, outcomes: RuleOutcomes
  ) {
    let (decision, changes, outcomes) = try decideUncommitted(
      event, worker: worker, store: store, recentMessages: recentMessages, now: now, id: id)
    try store.commitNow(changes)
    return (decision, outcomes)
  }

  /// Handles one event on a store that answers at once, as a lane does:
  /// `completion` gets the decision once the store has made it durable,
  /// which a store writing to disk does in groups, while the lane goes on.
  static func decide(
    _ event: Event, worker: Worker, store: any SynchronousStore, recentMessages: Int, now: Date,
    completion: @escaping @Sendable (Result<Decision, any Error>) -> Void
  ) {
    let decision: Decision
    let changes: Changes
    do {
      (decision, changes, _) = try decideUncommitted(
        event, worker: worker, store: store, recentMessages: recentMessages, now: now,
        id: Decision.newID())
    } catch {
      return completion(.failure(error))
    }
    guard store.writesBehind else {
      do {
        try store.commitNow(changes)
      } catch {
        return completion(.failure(error))
      }
      return completion(.success(decision))
    }
    store.commitNow(changes) { completion($0.map { decision }) }
  }

  /// Everything but the commit: the decision and what it changes.
  private static func decideUncommitted(
    _ event: Event, worker: Worker, store: any SynchronousStore, recentMessages: Int, now: Date,
    id: String
  ) throws -> (Decision, Changes, RuleOutcomes) {
    // The context is gone before the commit: it may share the store's
    // arrays (a thread's messages), which the commit then changes in
    // place instead of copying.
    let context = try store.contextNow(for: event, recentMessages: recentMessages)
    let outcomes = worker.run(event, context: context, now: now)
    let members = try Pipeline.members(
      of: context, involved: involvedMembers(event, context: context, outcomes: outcomes),
      lookup: store.memberNow)
    let (decision, changes) = finish(
      event, context: context, outcomes: outcomes, members: members, revision: worker.revision,
      now: now, id: id)
    return (decision, changes, outcomes)
  }
}
