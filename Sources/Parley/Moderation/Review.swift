import Foundation

/// A message waiting for a moderator: held when posted or edited, or held
/// after reports. Linked to the decision that held it and the rules behind it.
public struct Review: Sendable, Codable, Hashable {
  /// Why the message is in the queue.
  public enum Kind: String, Sendable, Codable, Hashable, CaseIterable {
    /// A rule held the post or edit.
    case held
    /// Reports about the message led a rule to hold it.
    case reported
  }

  public var message: String
  public var community: String
  public var kind: Kind
  /// The message's author, when known.
  public var member: String?
  /// The rules that held it, each once.
  public var rules: [Provenance]
  /// Their reasons, for the moderator, each once.
  public var reasons: [String]
  /// The decision that first held it.
  public var decision: String?
  /// Who reported it, in order, each once.
  public var reporters: [String]
  public var heldAt: Date

  public init(
    message: String, community: String, kind: Kind = .held, member: String? = nil,
    rules: [Provenance] = [], reasons: [String], decision: String? = nil,
    reporters: [String] = [], heldAt: Date
  ) {
    self.message = message
    self.community = community
    self.kind = kind
    self.member = member
    self.rules = rules
    self.reasons = reasons
    self.decision = decision
    self.reporters = reporters
    self.heldAt = heldAt
  }

  /// The same message held again (another report, an edit held again): one
  /// queue item that keeps every rule, reason and reporter, and the time
  /// and decision it was first held with.
  public func merged(with later: Review) -> Review {
    var merged = self
    for rule in later.rules where !merged.rules.contains(rule) { merged.rules.append(rule) }
    for reason in later.reasons where !merged.reasons.contains(reason) {
      merged.reasons.append(reason)
    }
    for reporter in later.reporters where !merged.reporters.contains(reporter) {
      merged.reporters.append(reporter)
    }
    merged.member = merged.member ?? later.member
    merged.decision = merged.decision ?? later.decision
    return merged
  }
}
