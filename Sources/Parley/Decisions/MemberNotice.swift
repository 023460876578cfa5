/// What the member a decision acted on is told: what happened, which of the
/// community's rules it was, and what they can do next.
///
/// It names rules by their title and description only: never a moderator's
/// reason, a score, a word list or a pattern, which would teach a spammer
/// how to get round them.
public struct MemberNotice: Sendable, Codable, Hashable {
  /// Who the notice is for.
  public var member: String
  /// What happened, in one sentence.
  public var headline: String
  /// The rules that decided, as members may see them.
  public var rules: [RuleSummary]
  /// The rules' or the community's own words to the member, if any.
  public var message: String?
  /// What the member can do now.
  public var nextSteps: [String]

  public init(
    member: String, headline: String, rules: [RuleSummary], message: String?,
    nextSteps: [String]
  ) {
    self.member = member
    self.headline = headline
    self.rules = rules
    self.message = message
    self.nextSteps = nextSteps
  }

  /// The notice as plain text, ready to send.
  public var text: String {
    var lines = [headline]
    for rule in rules { lines.append("Community rule: \(rule.title). \(rule.description)") }
    if let message { lines.append(message) }
    lines += nextSteps
    return lines.joined(separator: "\n")
  }
}

extension MemberNotice {
  /// The notice for the author of the decided post (or of the reported
  /// message), or nil when the decision is a plain allow.
  static func make(
    event: Event, context: EventContext, verdict: Verdict, deciding: [VerdictProposal],
    effects: [DecidedEffect]
  ) -> MemberNotice? {
    if let appealNotice = appealNotice(event: event, context: context, deciding: deciding) {
      return appealNotice
    }
    let author: String?
    var reviewed: ReviewResolution.Outcome?
    switch event {
    case .messagePosted(let message), .messageEdited(let message): author = message.author
    case .reportFiled: author = context.storedMessage?.author
    case .reviewResolved(let resolution):
      author = context.storedMessage?.author ?? context.member?.id
      reviewed = resolution.outcome
    default: author = context.member?.id
    }
    guard let author else { return nil }
    var minutesMuted: Int?
    var muteRule: RuleSummary?
    for decided in effects {
      if case .mute(let member, let minutes, _) = decided.effect, member == author {
        minutesMuted = max(minutesMuted ?? 0, minutes)
        muteRule = RuleSummary(
          title: LoadedRule.title(from: decided.source.rule), description: "",
          plugin: decided.source.plugin)
      }
    }
    guard verdict != .allow || minutesMuted != nil || reviewed != nil else { return nil }
    // Built only now: most decisions are plain allows, which get no notice.
    let post: String
    switch event {
    case .messagePosted, .messageEdited, .reportFiled:
      post = context.thread.map { "Your post in “\($0.title)”" } ?? "Your post"
    case .reviewResolved:
      post = context.thread.map { "your post in “\($0.title)”" } ?? "your post"
    default: post = "Your post"
    }

    var sentences: [String] = []
    var steps: [String] = []
    // A moderator's answer to a held post is news for its author either way.
    switch reviewed {
    case .rejected:
      sentences.append("A moderator reviewed \(post) and removed it.")
      steps.append("You can post again without what broke the rule.")
    case .approved:
      sentences.append("A moderator approved \(post): everyone can see it now.")
    case nil:
      break
    }
    switch verdict {
    case .hold:
      sentences.append("\(post) is waiting for a moderator before others can see it.")
      steps.append("You don't need to post it again: a moderator will approve or decline it.")
      steps.append("You can edit it while it waits; the edit is checked again.")
    case .remove where reviewed != .rejected:  // the moderator's removal already says so
      sentences.append("\(post) was removed.")
      steps.append("You can post again without what broke the rule.")
    case .remove:
      break
    case .flag:
      sentences.append("\(post) is up, and a moderator was asked to look at it.")
      steps.append("Nothing to do now: if a moderator finds a problem, they will tell you.")
    case .allow:
      break
    }
    if let minutes = minutesMuted {
      sentences.append(
        "You are muted for \(minutes) minute\(minutes == 1 ? "" : "s"): until then your posts wait for a moderator."
      )
      steps.append("Wait until the mute ends before posting again.")
    }
    if verdict >= .hold || minutesMuted != nil || reviewed == .rejected {
      steps.append("If you think this is a mistake, you can appeal: a moderator will look again.")
    }

    var rules: [RuleSummary] = []
    var messages: [String] = []
    for proposal in deciding where verdict != .allow {
      // Two plugins can carry the same rule (a bundle and a focused plugin): say it once.
      if let rule = proposal.rule,
        !rules.contains(where: { $0.title == rule.title && $0.description == rule.description })
      {
        rules.append(rule)
      }
      let wording = context.community.enabled(proposal.source.plugin)?.notice ?? proposal.notice
      if let wording, !messages.contains(wording) { messages.append(wording) }
    }
    if rules.isEmpty, let muteRule { rules.append(muteRule) }
    return MemberNotice(
      member: author, headline: sentences.joined(separator: " "), rules: rules,
      message: messages.isEmpty ? nil : messages.joined(separator: "\n"), nextSteps: steps)
  }

  /// Appeals always get an answer: filed, refused, upheld or overturned.
  static func appealNotice(
    event: Event, context: EventContext, deciding: [VerdictProposal]
  ) -> MemberNotice? {
    switch event {
    case .appealFiled, .appealResolved: break
    default: return nil  // before any text is built: this runs on every event
    }
    let refusal = deciding.first { $0.source == .appeals }
    let about =
      context.thread.map { "the decision on your post in “\($0.title)”" } ?? "the decision"
    switch event {
    case .appealFiled(let appeal):
      if let refusal {
        return MemberNotice(
          member: appeal.member, headline: "Your appeal against \(about) could not be filed.",
          rules: [Appeals.summary], message: refusal.notice, nextSteps: [])
      }
      return MemberNotice(
        member: appeal.member, headline: "Your appeal against \(about) is with the moderators.",
        rules: [], message: nil, nextSteps: ["A moderator will read it and answer you here."])
    case .appealResolved(let resolution):
      guard refusal == nil, let member = context.appeal?.member else { return nil }
      let headline =
        resolution.outcome == .overturned
        ? "Your appeal was accepted: \(about) is reversed."
        : "Your appeal was reviewed: \(about) stands."
      return MemberNotice(
        member: member, headline: headline, rules: [],
        message: resolution.note.map { "The moderator wrote: \($0)" }, nextSteps: [])
    default:
      return nil
    }
  }
}
