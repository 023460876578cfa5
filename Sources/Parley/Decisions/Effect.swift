/// Something a rule asks the host to do besides judging the content.
public enum Effect: Sendable, Codable, Hashable {
  /// A public reply in the thread, addressed to `to`. Always labelled automated.
  case reply(text: String, to: String?, purpose: Purpose, automated: Bool)
  /// A private message to a member for a purpose; needs that consent.
  case contact(member: String, purpose: Purpose, text: String)
  /// Tell a team or role.
  case notify(team: String, text: String)
  /// Assign the thread to a team.
  case route(team: String, reason: String)
  /// Tag the thread.
  case tag(String)
  /// Engagement points for a member.
  case score(member: String, points: Int, reason: String)
  /// Stop a member posting for a while.
  case mute(member: String, minutes: Int, reason: String)
  /// A follow-up that comes back as a `timer_due` event.
  case schedule(name: String, afterMinutes: Int, data: [String: TimerValue])
  /// Show a held or removed message again (an appeal overturned its decision).
  case restore(message: String)
  /// End a member's mute now (an appeal overturned the decision that muted them).
  case liftMute(member: String)

  /// The name rules use for this effect.
  public var kind: String {
    switch self {
    case .reply: "reply"
    case .contact: "contact"
    case .notify: "notify"
    case .route: "route"
    case .tag: "tag"
    case .score: "score"
    case .mute: "mute"
    case .schedule: "schedule"
    case .restore: "restore"
    case .liftMute: "lift_mute"
    }
  }

  /// The member a rule's points or mute is for. (A lifted mute is not a
  /// rule's: the core gives it back when an appeal overturns a decision.)
  public var changedMember: String? {
    switch self {
    case .score(let member, _, _), .mute(let member, _, _): member
    default: nil
    }
  }

  /// The member this effect reaches and why, when it reaches one.
  public var recipient: (member: String, purpose: Purpose)? {
    switch self {
    case .reply(_, let to?, let purpose, _): (to, purpose)
    case .contact(let member, let purpose, _): (member, purpose)
    default: nil
    }
  }

  /// One line for explanations.
  public var summary: String {
    switch self {
    case .reply(let text, let to, let purpose, _):
      "automated reply\(to.map { " to \($0)" } ?? "") (\(purpose.rawValue)): \"\(text)\""
    case .contact(let member, let purpose, let text):
      "message \(member) (\(purpose.rawValue)): \"\(text)\""
    case .notify(let team, let text): "notify \(team): \"\(text)\""
    case .route(let team, let reason): "route to \(team): \(reason)"
    case .tag(let name): "tag '\(name)'"
    case .score(let member, let points, let reason):
      "\(points > 0 ? "+" : "")\(points) to \(member): \(reason)"
    case .mute(let member, let minutes, let reason): "mute \(member) for \(minutes) min: \(reason)"
    case .schedule(let name, let after, _): "follow up '\(name)' in \(after) min"
    case .restore(let message): "restore message \(message)"
    case .liftMute(let member): "lift \(member)'s mute"
    }
  }
}
