import Foundation

/// Something that happened in a community, for the rules to look at.
public enum Event: Sendable, Codable, Hashable {
  /// A new message; its thread must exist.
  case messagePosted(Message)
  /// A message's new text; the previous text is read from the store.
  case messageEdited(Message)
  /// A member (already added to the store) joined.
  case memberJoined(member: String)
  /// Someone reported a message.
  case reportFiled(Report)
  /// A member changed a consent.
  case consentChanged(ConsentChange)
  /// A follow-up a rule scheduled came due.
  case timerDue(ScheduledTimer)
  /// A moderator resolved a held message.
  case reviewResolved(ReviewResolution)
  /// A member appealed a decision that acted on them.
  case appealFiled(Appeal)
  /// A moderator upheld or overturned an appeal.
  case appealResolved(AppealResolution)

  /// The name rules subscribe to, e.g. `message_posted`.
  public var kind: Kind {
    switch self {
    case .messagePosted: .messagePosted
    case .messageEdited: .messageEdited
    case .memberJoined: .memberJoined
    case .reportFiled: .reportFiled
    case .consentChanged: .consentChanged
    case .timerDue: .timerDue
    case .reviewResolved: .reviewResolved
    case .appealFiled: .appealFiled
    case .appealResolved: .appealResolved
    }
  }

  /// Event kinds, spelled the way rules name them.
  public enum Kind: String, Sendable, Codable, Hashable, CaseIterable {
    case messagePosted = "message_posted"
    case messageEdited = "message_edited"
    case memberJoined = "member_joined"
    case reportFiled = "report_filed"
    case consentChanged = "consent_changed"
    case timerDue = "timer_due"
    case reviewResolved = "review_resolved"
    case appealFiled = "appeal_filed"
    case appealResolved = "appeal_resolved"
  }

  /// Events with the same key are handled one at a time, in the order they
  /// were submitted: a thread's messages, a member's joins and consents.
  public var sequenceKey: String {
    let (scope, id) = sequence
    return scope.rawValue + ":" + id
  }

  /// What ``sequenceKey`` is made of. The engine hashes these parts for
  /// every event, without building the text.
  var sequence: (scope: SequenceScope, id: String) {
    switch self {
    case .messagePosted(let message), .messageEdited(let message): (.thread, message.thread)
    case .memberJoined(let member): (.member, member)
    case .reportFiled(let report): (.message, report.message)
    case .consentChanged(let change): (.member, change.member)
    case .timerDue(let timer): timer.thread.map { (.thread, $0) } ?? (.timer, timer.id)
    case .reviewResolved(let review): (.message, review.message)
    case .appealFiled(let appeal): (.appeal, appeal.decision)
    case .appealResolved(let resolution): (.appeal, resolution.decision)
    }
  }

  /// The hash of ``sequenceKey``.
  var sequenceHash: Int {
    let (scope, id) = sequence
    var hasher = Hasher()
    hasher.combine(scope)
    hasher.combine(id)
    return hasher.finalize()
  }

  /// What kind of thing an event's ``sequenceKey`` names.
  enum SequenceScope: String {
    case thread, member, message, timer, appeal
  }

  /// A short description for logs and explanations.
  public var summary: String {
    switch self {
    case .messagePosted(let message): "message \(message.id) posted by \(message.author)"
    case .messageEdited(let message): "message \(message.id) edited by \(message.author)"
    case .memberJoined(let member): "\(member) joined"
    case .reportFiled(let report): "\(report.reporter) reported message \(report.message)"
    case .consentChanged(let change):
      "\(change.member) \(change.granted ? "granted" : "withdrew") consent to \(change.purpose.rawValue)"
    case .timerDue(let timer): "timer '\(timer.name)' of \(timer.plugin) came due"
    case .reviewResolved(let review):
      "\(review.moderator) \(review.outcome.rawValue) message \(review.message)"
    case .appealFiled(let appeal): "\(appeal.member) appealed decision \(appeal.decision)"
    case .appealResolved(let resolution):
      "\(resolution.moderator) \(resolution.outcome.rawValue) the appeal against decision \(resolution.decision)"
    }
  }
}

/// A member's report of a message.
public struct Report: Sendable, Codable, Hashable {
  public var message: String
  public var reporter: String
  public var reason: String

  public init(message: String, reporter: String, reason: String) {
    self.message = message
    self.reporter = reporter
    self.reason = reason
  }
}

/// A member's change of one consent.
public struct ConsentChange: Sendable, Codable, Hashable {
  public var member: String
  public var purpose: Purpose
  public var granted: Bool

  public init(member: String, purpose: Purpose, granted: Bool) {
    self.member = member
    self.purpose = purpose
    self.granted = granted
  }
}

/// A moderator's answer to a held message.
public struct ReviewResolution: Sendable, Codable, Hashable {
  public enum Outcome: String, Sendable, Codable, Hashable {
    case approved, rejected
  }

  public var message: String
  public var outcome: Outcome
  public var moderator: String
  /// The moderator's note, for the audit log and the rules.
  public var note: String?

  public init(message: String, outcome: Outcome, moderator: String, note: String? = nil) {
    self.message = message
    self.outcome = outcome
    self.moderator = moderator
    self.note = note
  }
}

/// A follow-up a rule asked for with `schedule`.
public struct ScheduledTimer: Sendable, Codable, Hashable, Identifiable {
  public var id: String
  public var community: String
  /// The plugin whose rules receive the `timer_due` event.
  public var plugin: String
  public var name: String
  public var due: Date
  /// The thread the event that scheduled it was about, if any.
  public var thread: String?
  /// What the rule stored with it, for its `timer_due` rule to read.
  public var data: [String: TimerValue]

  public init(
    id: String, community: String, plugin: String, name: String, due: Date, thread: String? = nil,
    data: [String: TimerValue] = [:]
  ) {
    self.id = id
    self.community = community
    self.plugin = plugin
    self.name = name
    self.due = due
    self.thread = thread
    self.data = data
  }
}

/// A scalar a rule stored with a timer or in its key-value state.
public enum TimerValue: Sendable, Codable, Hashable {
  case string(String)
  case integer(Int64)
  case number(Double)
  case boolean(Bool)
}
