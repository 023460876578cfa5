extension EventContext {
  /// Gathers an event's context through lookups. Stores call this inside
  /// their read transaction, so every store agrees on what a rule sees.
  ///
  /// `recent` returns a thread's latest messages, oldest first, as a slice:
  /// a store that keeps each thread's messages in an array hands over part
  /// of it without copying (`array.suffix(limit)`); one that reads rows
  /// returns `rows[...]`.
  /// - Throws: ``ParleyError`` naming whatever the event refers to that does not
  ///   exist, or what a lookup threw.
  public static func resolve(
    _ event: Event, recentMessages: Int,
    community: (String) throws -> Community?, member: (String) throws -> Member?,
    thread: (String) throws -> DialogueThread?, message: (String) throws -> Message?,
    recent: (String, Int) throws -> ArraySlice<Message>,
    decision: (String) throws -> Decision? = { _ in nil },
    appeal: (String) throws -> AppealRecord? = { _ in nil }
  ) throws -> EventContext {
    func needMember(_ id: String) throws -> Member {
      guard let found = try member(id) else { throw ParleyError.unknownMember(id) }
      return found
    }
    func needThread(_ id: String) throws -> DialogueThread {
      guard let found = try thread(id) else { throw ParleyError.unknownThread(id) }
      return found
    }
    func needMessage(_ id: String) throws -> Message {
      guard let found = try message(id) else { throw ParleyError.unknownMessage(id) }
      return found
    }
    func needCommunity(_ id: String) throws -> Community {
      guard let found = try community(id) else { throw ParleyError.unknownCommunity(id) }
      return found
    }
    /// The member, who must belong to the thread's community: rules of one
    /// community never run on, or change, another's members.
    func needMember(_ id: String, in thread: DialogueThread) throws -> Member {
      let found = try needMember(id)
      guard found.community == thread.community else {
        throw ParleyError.memberOutsideCommunity(id, found.community, thread.community)
      }
      return found
    }
    // Everything the context needs from the thread is read before the
    // thread is handed to it: its last use, so it can move in.
    func aboutMessage(_ stored: Message, member id: String) throws -> EventContext {
      let thread = try needThread(stored.thread)
      let community = try needCommunity(thread.community)
      let member = try needMember(id, in: thread)
      let recent = try recent(thread.id, recentMessages)
      return EventContext(
        community: community, member: member, thread: thread, recent: recent,
        storedMessage: stored)
    }

    switch event {
    case .messagePosted(let posted):
      let thread = try needThread(posted.thread)
      let community = try needCommunity(thread.community)
      let member = try needMember(posted.author, in: thread)
      let recent = try recent(thread.id, recentMessages)
      return EventContext(community: community, member: member, thread: thread, recent: recent)
    case .messageEdited(let edited):
      return try aboutMessage(try needMessage(edited.id), member: edited.author)
    case .memberJoined(let id):
      let joined = try needMember(id)
      return EventContext(community: try needCommunity(joined.community), member: joined)
    case .consentChanged(let change):
      let joined = try needMember(change.member)
      return EventContext(community: try needCommunity(joined.community), member: joined)
    case .reportFiled(let report):
      let stored = try needMessage(report.message)
      return try aboutMessage(stored, member: stored.author)
    case .reviewResolved(let review):
      let stored = try needMessage(review.message)
      return try aboutMessage(stored, member: stored.author)
    case .timerDue(let timer):
      return EventContext(community: try needCommunity(timer.community))
    case .appealFiled(let filed):
      return try aboutDecision(filed.decision, appellant: filed.member)
    case .appealResolved(let resolution):
      guard let record = try appeal(resolution.decision) else {
        throw ParleyError.noPendingAppeal(resolution.decision)
      }
      return try aboutDecision(resolution.decision, appellant: record.member)
    }

    /// An appeal's context: the appellant, the decision, its message and thread.
    func aboutDecision(_ id: String, appellant: String) throws -> EventContext {
      guard let appealed = try decision(id) else { throw ParleyError.unknownDecision(id) }
      var context = EventContext(community: try needCommunity(appealed.community))
      context.member = try needMember(appellant)
      if let messageID = appealed.messageID, let stored = try message(messageID) {
        context.storedMessage = stored
        context.thread = try thread(stored.thread)
      }
      context.appealed = appealed
      context.appeal = try appeal(id)
      return context
    }
  }
}
