import Foundation

/// A member asking the moderators to look again at a decision that acted on
/// them (the `appeal_filed` event).
public struct Appeal: Sendable, Codable, Hashable {
  /// The id of the decision appealed against (``Decision/id``).
  public var decision: String
  /// Who appeals: the member the decision's notice went to.
  public var member: String
  /// The member's words.
  public var text: String

  public init(decision: String, member: String, text: String) {
    self.decision = decision
    self.member = member
    self.text = text
  }
}

/// A moderator's answer to an appeal (the `appeal_resolved` event).
public struct AppealResolution: Sendable, Codable, Hashable {
  public enum Outcome: String, Sendable, Codable, Hashable {
    /// The decision stands.
    case upheld
    /// The decision was wrong: its effects on the member are reversed.
    case overturned
  }

  public var decision: String
  public var outcome: Outcome
  public var moderator: String
  public var note: String?

  public init(decision: String, outcome: Outcome, moderator: String, note: String? = nil) {
    self.decision = decision
    self.outcome = outcome
    self.moderator = moderator
    self.note = note
  }
}

/// An appeal as the store keeps it: in the review queue while pending, then
/// with its outcome. Linked to the decision, its rules and their reasons.
public struct AppealRecord: Sendable, Codable, Hashable {
  /// The appealed decision's id; one appeal per decision.
  public var decision: String
  public var community: String
  public var member: String
  public var text: String
  public var filedAt: Date
  /// The message the decision was about, if any.
  public var message: String?
  /// The appealed verdict, and the rules and reasons behind it.
  public var verdict: Verdict
  public var rules: [Provenance]
  public var reasons: [String]
  /// Nil while the appeal waits for a moderator.
  public var outcome: AppealResolution.Outcome?
  public var moderator: String?
  public var note: String?
  public var resolvedAt: Date?

  public init(
    decision: String, community: String, member: String, text: String, filedAt: Date,
    message: String?, verdict: Verdict, rules: [Provenance], reasons: [String],
    outcome: AppealResolution.Outcome? = nil, moderator: String? = nil, note: String? = nil,
    resolvedAt: Date? = nil
  ) {
    self.decision = decision
    self.community = community
    self.member = member
    self.text = text
    self.filedAt = filedAt
    self.message = message
    self.verdict = verdict
    self.rules = rules
    self.reasons = reasons
    self.outcome = outcome
    self.moderator = moderator
    self.note = note
    self.resolvedAt = resolvedAt
  }

  /// Whether a moderator still has to answer it.
  public var isPending: Bool { outcome == nil }
}

/// How a community lets members appeal.
public struct AppealPolicy: Sendable, Codable, Hashable {
  /// How many days after a decision it may be appealed.
  public var windowDays: Int

  public init(windowDays: Int = 14) {
    self.windowDays = windowDays
  }
}
