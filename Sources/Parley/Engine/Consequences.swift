import Foundation

/// What a decision changes in the community: the message, the thread, the
/// members' history and scores, timers and reviews. Shared by every store.
enum Consequences {
  static func changes(for decision: Decision, context: EventContext, now: Date) -> Changes {
    var messages: [Message] = []
    var timers: [ScheduledTimer] = []
    var reviewsOpened: [Review] = []
    var reviewsClosed: [String] = []
    var appeals: [AppealRecord] = []
    // An event changes one to three members: a list searched in place costs
    // less than a dictionary's allocation and hashing.
    var members: [MemberChange] = []
    func change(_ id: String, _ body: (inout MemberChange) -> Void) {
      if let i = members.firstIndex(where: { $0.member == id }) {
        body(&members[i])
      } else {
        members.append(MemberChange(member: id))
        body(&members[members.count - 1])
      }
    }
    var thread = context.thread.map { ThreadChange(thread: $0.id) }
    func review(_ message: String, kind: Review.Kind, author: String?, reporter: String? = nil)
      -> Review
    {
      Review(
        message: message, community: decision.community, kind: kind, member: author,
        rules: decision.deciding.map(\.source).uniqued(), reasons: decision.deciding.map(\.reason),
        decision: decision.id, reporters: reporter.map { [$0] } ?? [], heldAt: now)
    }

    switch decision.event {
    case .messagePosted(let message):
      messages.append(message)
      change(message.author) { $0.history.posts += 1 }
      if let replied = message.replyTo.flatMap(context.recentMessage),
        replied.author != message.author
      {
        change(message.author) { $0.history.repliesToOthers += 1 }
        change(replied.author) { $0.history.repliesReceived += 1 }
      }
      if let current = context.thread {
        if !current.participants.contains(message.author) {
          thread?.participants.append(message.author)
        }
        let isQuestion = current.tags.contains("question") || decision.adds(tag: "question")
        // Only then are the recent messages read: each is a record of its
        // own, and touching twenty of them costs more than the rest.
        if isQuestion && message.author == current.opener
          && !context.recent.contains(where: { $0.author == current.opener })
        {
          change(message.author) { $0.history.questionsAsked += 1 }
        }
        if isQuestion, current.status == .open, message.author != current.opener,
          !message.automated,
          decision.verdict <= .flag
        {
          thread?.status = .answered
          change(message.author) { $0.history.questionsAnswered += 1 }
        }
      }
      if decision.verdict == .hold {
        reviewsOpened.append(review(message.id, kind: .held, author: message.author))
      }
    case .messageEdited(let message):
      messages.append(message)
      if decision.verdict == .hold {
        reviewsOpened.append(review(message.id, kind: .held, author: message.author))
      }
    case .reportFiled(let report):
      if decision.verdict >= .hold {
        reviewsOpened.append(
          review(
            report.message, kind: .reported, author: context.storedMessage?.author,
            reporter: report.reporter))
      }
    case .reviewResolved(let resolution):
      reviewsClosed.append(resolution.message)
    case .appealFiled(let appeal):
      // Filed unless the core refused it (rules' verdicts do not stop an appeal).
      if !decision.verdicts.contains(where: { $0.source == .appeals }),
        let appealed = context.appealed
      {
        appeals.append(Appeals.record(appeal, appealed: appealed, at: now))
      }
    case .appealResolved(let resolution):
      if !decision.verdicts.contains(where: { $0.source == .appeals }), var record = context.appeal
      {
        record.outcome = resolution.outcome
        record.moderator = resolution.moderator
        record.note = resolution.note
        record.resolvedAt = now
        appeals.append(record)
      }
    case .memberJoined, .consentChanged, .timerDue:
      break
    }

    for decided in decision.effects {
      switch decided.effect {
      case .tag(let name): thread?.tags.append(name)
      case .route(let team, _): thread?.assignedTeam = team
      case .score(let member, let points, _): change(member) { $0.score += points }
      case .mute(let member, let minutes, _):
        change(member) { $0.mutedUntil = now.addingTimeInterval(Double(minutes) * 60) }
      case .schedule(let name, let after, let data):
        timers.append(
          ScheduledTimer(
            id: UUID().uuidString, community: decision.community, plugin: decided.source.plugin,
            name: name, due: now.addingTimeInterval(Double(after) * 60), thread: context.thread?.id,
            data: data))
      case .restore(let message): reviewsClosed.append(message)
      case .liftMute(let member): change(member) { $0.liftMute = true }
      case .reply, .contact, .notify:
        break
      }
    }
    members.sort { $0.member < $1.member }
    // Built in one piece at the end: a `Changes` filled in place and then
    // returned was copied out of the function field by field.
    return Changes(
      decision: decision, messages: messages, members: members,
      threads: thread.map { $0.isEmpty ? [] : [$0] } ?? [], timers: timers,
      reviewsOpened: reviewsOpened, reviewsClosed: reviewsClosed, appeals: appeals)
  }
}

extension Decision {
  /// Whether the decision adds the tag to the thread.
  func adds(tag: String) -> Bool {
    effects.contains { if case .tag(let name) = $0.effect { name == tag } else { false } }
  }
}
