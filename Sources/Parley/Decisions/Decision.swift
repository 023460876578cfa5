import Foundation

/// Where a part of a decision came from.
public struct Provenance: Sendable, Codable, Hashable {
  public var plugin: String
  public var rule: String
  /// `file:line` of the rule's declaration.
  public var location: String

  public init(plugin: String, rule: String, location: String) {
    self.plugin = plugin
    self.rule = rule
    self.location = location
  }

  /// The core itself, when it holds a muted member's post.
  public static let mutedAuthor = Provenance(
    plugin: "parley", rule: "muted", location: "Parley core")

  /// `plugin/rule`, the way explanations name a rule.
  public var name: String { "\(plugin)/\(rule)" }
}

/// A rule's verdict with its reason.
public struct VerdictProposal: Sendable, Codable, Hashable {
  public var verdict: Verdict
  /// For moderators: why, in the rule's words.
  public var reason: String
  public var source: Provenance
  /// For the member, when the rule gave one (`hold{ reason = ..., notice = ... }`).
  public var notice: String?
  /// The rule as members may see it; nil in decisions recorded before notices.
  public var rule: RuleSummary?

  public init(
    verdict: Verdict, reason: String, source: Provenance, notice: String? = nil,
    rule: RuleSummary? = nil
  ) {
    self.verdict = verdict
    self.reason = reason
    self.source = source
    self.notice = notice
    self.rule = rule
  }
}

/// A rule as a member may see it: its title and description, never its
/// settings, word lists or patterns.
public struct RuleSummary: Sendable, Codable, Hashable {
  public var title: String
  public var description: String
  public var plugin: String

  public init(title: String, description: String, plugin: String) {
    self.title = title
    self.description = description
    self.plugin = plugin
  }
}

/// An effect the decision carries, with the rule that asked for it.
public struct DecidedEffect: Sendable, Codable, Hashable {
  public var effect: Effect
  public var source: Provenance
}

/// An effect the core refused, and why.
public struct BlockedEffect: Sendable, Codable, Hashable {
  public var effect: Effect
  public var source: Provenance
  public var why: String
}

/// A rule that failed on this event.
public struct RuleFailure: Sendable, Codable, Hashable {
  public var source: Provenance
  /// What went wrong, with the rule's file and line.
  public var error: String
  /// Budget failures: `instructions`, `memory`, `time`; otherwise `error`.
  public var kind: String
  /// What the plugin's failure mode made of it.
  public var applied: Verdict
}

/// The combined outcome for one event: a verdict on the content plus effects,
/// each with the rule that asked for it and why.
public struct Decision: Sendable, Codable, Hashable {
  /// The event, as handled.
  public var event: Event
  public var community: String
  public var verdict: Verdict
  /// Every verdict a rule proposed, most severe first; the first decided.
  public var verdicts: [VerdictProposal]
  public var effects: [DecidedEffect]
  public var blocked: [BlockedEffect]
  public var failures: [RuleFailure]
  /// The content hash of the plugin revision that decided.
  public var revision: String
  public var decidedAt: Date
  /// What the member the decision acted on is told; nil for a plain allow.
  public var notice: MemberNotice?
  /// Names the decision for appeals, the audit log and the member's notice.
  ///
  /// Last, so the memberwise initializer (the combiner's, which builds the
  /// decision in place) takes its arguments in another order than the
  /// public one below and the two do not clash: an initializer that sets
  /// each field builds the value in a temporary and copies it out.
  public var id: String
}

extension Decision {
  /// A decision; `id` is a fresh one unless given.
  public init(
    id: String = Decision.newID(), event: Event, community: String, verdict: Verdict,
    verdicts: [VerdictProposal], effects: [DecidedEffect], blocked: [BlockedEffect],
    failures: [RuleFailure], revision: String, decidedAt: Date, notice: MemberNotice? = nil
  ) {
    self.id = id
    self.event = event
    self.community = community
    self.verdict = verdict
    self.verdicts = verdicts
    self.effects = effects
    self.blocked = blocked
    self.failures = failures
    self.revision = revision
    self.decidedAt = decidedAt
    self.notice = notice
  }

  /// A fresh, unique decision id: `d-` and 24 hex digits.
  public static func newID() -> String { DecisionID.next() }

  /// Decisions recorded before ids existed get one derived from what they
  /// decided, so the same row always reads back with the same id.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    event = try container.decode(Event.self, forKey: .event)
    community = try container.decode(String.self, forKey: .community)
    verdict = try container.decode(Verdict.self, forKey: .verdict)
    verdicts = try container.decode([VerdictProposal].self, forKey: .verdicts)
    effects = try container.decode([DecidedEffect].self, forKey: .effects)
    blocked = try container.decode([BlockedEffect].self, forKey: .blocked)
    failures = try container.decode([RuleFailure].self, forKey: .failures)
    revision = try container.decode(String.self, forKey: .revision)
    decidedAt = try container.decode(Date.self, forKey: .decidedAt)
    notice = try container.decodeIfPresent(MemberNotice.self, forKey: .notice)
    if let id = try container.decodeIfPresent(String.self, forKey: .id) {
      self.id = id
    } else {
      var hasher = FNV1a()
      hasher.mix(community)
      hasher.mix(event.summary)
      hasher.mix(String(decidedAt.timeIntervalSince1970))
      self.id = "d-" + String(hasher.value, radix: 16).leftPadded(to: 16)
    }
  }

  /// The message the decision was about, if any.
  public var messageID: String? {
    switch event {
    case .messagePosted(let message), .messageEdited(let message): message.id
    case .reportFiled(let report): report.message
    case .reviewResolved(let review): review.message
    default: nil
    }
  }

  /// The proposals that set the verdict (all of equal severity).
  public var deciding: [VerdictProposal] { verdicts.filter { $0.verdict == verdict } }

  /// A short explanation a member or moderator can read: the deciding
  /// reasons first, then every other rule's verdict (a flag outweighed by a
  /// hold still says why), effects, blocked effects and failures.
  public var explanation: String {
    if verdicts.isEmpty && effects.isEmpty && blocked.isEmpty && failures.isEmpty {
      return "allow: no rule objected"
    }
    var lines: [String] = []
    let reasons = deciding.map { "\($0.reason) (\($0.source.name))" }
    if reasons.isEmpty {
      lines.append("\(verdict.rawValue): no rule objected")
    } else {
      lines.append("\(verdict.rawValue): " + reasons.joined(separator: "; "))
    }
    for other in verdicts where other.verdict != verdict {
      lines.append("  also \(other.verdict.rawValue): \(other.reason) (\(other.source.name))")
    }
    for effect in effects {
      lines.append("  + \(effect.effect.summary) (\(effect.source.name))")
    }
    for blocked in blocked {
      lines.append("  x blocked \(blocked.effect.summary) (\(blocked.source.name)): \(blocked.why)")
    }
    for failure in failures {
      lines.append(
        "  ! \(failure.source.name) failed, counted as \(failure.applied.rawValue): \(failure.error)"
      )
    }
    return lines.joined(separator: "\n")
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}
