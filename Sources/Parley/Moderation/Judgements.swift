/// How moderators judged the decisions that held or removed content.
public enum Judgement: String, Sendable, Codable, Hashable {
  /// Nobody has looked yet.
  case pending
  /// A moderator removed the held message, or upheld the decision on appeal.
  case confirmed
  /// A moderator approved the held message, or overturned the decision on appeal.
  case overturned
}

/// Every held or removed decision in a stretch of the audit log, with what
/// moderators made of it: the ground truth rule health and replay measure
/// rules against.
///
/// A review judges every decision that held its message (a post held, then
/// reported, is one mistake or one catch, counted for each rule behind it).
/// An appeal answered later wins over the review, whether it names the
/// holding decision or the moderator's removal.
public struct Judgements: Sendable {
  /// The judgement of each decision that held or removed content, by id.
  public private(set) var byDecision: [String: Judgement] = [:]

  /// Reads the audit log, oldest first.
  public init(history: [Decision]) {
    var actionedByMessage: [String: [String]] = [:]
    var judgedByReview: [String: [String]] = [:]
    for decision in history {
      switch decision.event {
      case .messagePosted, .messageEdited, .reportFiled:
        guard decision.verdict >= .hold, let message = decision.messageID else { continue }
        byDecision[decision.id] = .pending
        actionedByMessage[message, default: []].append(decision.id)
      case .reviewResolved(let review):
        let judged = (actionedByMessage[review.message] ?? []).filter {
          byDecision[$0] == .pending
        }
        for id in judged { byDecision[id] = review.outcome == .rejected ? .confirmed : .overturned }
        judgedByReview[decision.id] = judged
      case .appealResolved(let resolution):
        guard !decision.verdicts.contains(where: { $0.source == .appeals }) else { continue }
        let judged =
          byDecision[resolution.decision] != nil
          ? [resolution.decision] : judgedByReview[resolution.decision] ?? []
        for id in judged {
          byDecision[id] = resolution.outcome == .overturned ? .overturned : .confirmed
        }
      case .memberJoined, .consentChanged, .timerDue, .appealFiled:
        break
      }
    }
  }

  /// The judgement of a decision, or nil when it held or removed nothing.
  public subscript(decision: String) -> Judgement? { byDecision[decision] }
}
