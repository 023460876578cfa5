import Foundation
import ParleyLua

/// How the domain looks to a rule: plain Lua tables with snake_case fields
/// and times in Unix seconds. Pushed field by field: this runs on every event.
extension LuaStack {
  func pushTime(_ date: Date) { push(Int64(date.timeIntervalSince1970.rounded(.down))) }

  func pushOptional(_ text: String?) {
    if let text { push(text) } else { pushNil() }
  }

  func pushList(_ items: [String]) {
    newTable(array: items.count)
    for (i, item) in items.enumerated() {
      push(item)
      setIndex(i + 1)
    }
  }

  func pushMessage(_ message: Message) {
    newTable(fields: 8)
    push(message.id)
    setField("id")
    push(message.thread)
    setField("thread")
    push(message.author)
    setField("author")
    push(message.text)
    setField("text")
    pushTime(message.createdAt)
    setField("created_at")
    if let replyTo = message.replyTo {
      push(replyTo)
      setField("reply_to")
    }
    push(message.sponsored)
    setField("sponsored")
    push(message.automated)
    setField("automated")
  }

  /// The context's member, `ctx.member`.
  func pushMember(_ member: Member) {
    newTable(fields: 10)
    push(member.id)
    setField("id")
    push(member.displayName)
    setField("name")
    push(member.role.rawValue)
    setField("role")
    if let affiliation = member.affiliation {
      push(affiliation)
      setField("affiliation")
    }
    pushTime(member.joinedAt)
    setField("joined_at")
    push(member.trustLevel)
    setField("trust")
    push(member.score)
    setField("score")
    if let mutedUntil = member.mutedUntil {
      pushTime(mutedUntil)
      setField("muted_until")
    }
    // `consents` and `history` are left out: the rule API asks for them
    // (pushConsents, pushHistory) on first read.
  }

  func pushConsents(_ consents: Consents) {
    newTable(fields: 3)
    push(consents.support)
    setField("support")
    push(consents.news)
    setField("news")
    push(consents.offers)
    setField("offers")
  }

  func pushHistory(_ history: DialogueHistory) {
    newTable(fields: 5)
    push(history.posts)
    setField("posts")
    push(history.repliesToOthers)
    setField("replies_to_others")
    push(history.repliesReceived)
    setField("replies_received")
    push(history.questionsAsked)
    setField("questions_asked")
    push(history.questionsAnswered)
    setField("questions_answered")
  }

  func pushThread(_ thread: DialogueThread) {
    newTable(fields: 8)
    push(thread.id)
    setField("id")
    push(thread.title)
    setField("title")
    push(thread.status.rawValue)
    setField("status")
    push(thread.opener)
    setField("opener")
    pushList(thread.tags)
    setField("tags")
    pushOptional(thread.assignedTeam)
    setField("team")
    // `messages` and `participants` are left out: the rule API asks for them
    // (pushMessages, pushList) on first read.
  }

  /// The thread's latest messages, oldest first.
  func pushMessages(_ messages: ArraySlice<Message>) {
    newTable(array: messages.count)
    for (i, message) in messages.enumerated() {
      pushMessage(message)
      setIndex(i + 1)
    }
  }

  func pushTimerValue(_ value: TimerValue) {
    switch value {
    case .string(let s): push(s)
    case .integer(let i): push(i)
    case .number(let d): push(d)
    case .boolean(let b): push(b)
    }
  }

  func pushEvent(_ event: Event, context: EventContext) {
    newTable(fields: 3)
    push(event.kind.rawValue)
    setField("kind")
    switch event {
    case .messagePosted(let message):
      pushMessage(message)
      setField("message")
    case .messageEdited(let message):
      pushMessage(message)
      setField("message")
      pushOptional(context.storedMessage?.text)
      setField("previous_text")
    case .memberJoined(let member):
      push(member)
      setField("member")
    case .reportFiled(let report):
      newTable(fields: 3)
      push(report.message)
      setField("message")
      push(report.reporter)
      setField("reporter")
      push(report.reason)
      setField("reason")
      setField("report")
    case .consentChanged(let change):
      newTable(fields: 3)
      push(change.member)
      setField("member")
      push(change.purpose.rawValue)
      setField("purpose")
      push(change.granted)
      setField("granted")
      setField("consent")
    case .timerDue(let timer):
      newTable(fields: 2)
      push(timer.name)
      setField("name")
      newTable(fields: timer.data.count)
      for (key, value) in timer.data {
        pushTimerValue(value)
        setField(key)
      }
      setField("data")
      setField("timer")
    case .reviewResolved(let review):
      newTable(fields: 3)
      push(review.message)
      setField("message")
      push(review.outcome.rawValue)
      setField("outcome")
      push(review.moderator)
      setField("moderator")
      pushOptional(review.note)
      setField("note")
      setField("review")
    case .appealFiled(let appeal):
      pushAppeal(
        decision: appeal.decision, member: appeal.member, context: context,
        fill: {
          self.push(appeal.text)
          self.setField("text")
        })
    case .appealResolved(let resolution):
      pushAppeal(
        decision: resolution.decision, member: context.appeal?.member ?? "", context: context,
        fill: {
          self.push(resolution.outcome.rawValue)
          self.setField("outcome")
          self.push(resolution.moderator)
          self.setField("moderator")
          self.pushOptional(resolution.note)
          self.setField("note")
        })
    }
  }

  /// `event.appeal`: the decision appealed against as rules may need it (its
  /// verdict, its message, the rules that decided) plus the event's own fields.
  private func pushAppeal(
    decision: String, member: String, context: EventContext, fill: () -> Void
  ) {
    newTable(fields: 8)
    push(decision)
    setField("decision")
    push(member)
    setField("member")
    if let appealed = context.appealed {
      push(appealed.verdict.rawValue)
      setField("verdict")
      pushOptional(appealed.messageID)
      setField("message")
      pushList(appealed.deciding.map(\.source.name))
      setField("rules")
    }
    fill()
    setField("appeal")
  }

  /// `ctx.community`.
  func pushCommunity(id: String, name: String) {
    newTable(fields: 2)
    push(id)
    setField("id")
    push(name)
    setField("name")
  }

  func pushSettings(_ specs: [SettingSpec], overrides: [String: SettingValue]) {
    newTable(fields: specs.count)
    for spec in specs {
      let value = overrides[spec.name].flatMap { spec.accepts($0) ? $0 : nil } ?? spec.defaultValue
      switch value {
      case .string(let s): push(s)
      case .integer(let i): push(i)
      case .number(let d): push(d)
      case .boolean(let b): push(b)
      case .list(let items): pushList(items)
      }
      setField(spec.name)
    }
  }
}
