extension EventContext {
  /// Gathers an event's context through lookups. Stores call this inside
  /// their read transaction, so every store agrees on what a rule sees.
  /// - Throws: ``ParleyError`` naming whatever the event refers to that does not exist.
  public static func resolve(
    _ event: Event, recentMessages: Int,
    community: (String) -> Community?, member: (String) -> Member?,
    thread: (String) -> DialogueThread?, message: (String) -> Message?,
    recent: (String, Int) -> [Message]
  ) throws(ParleyError) -> EventContext {
    func needMember(_ id: String) throws(ParleyError) -> Member {
      guard let found = member(id) else { throw .unknownMember(id) }
      return found
    }
    func needThread(_ id: String) throws(ParleyError) -> DialogueThread {
      guard let found = thread(id) else { throw .unknownThread(id) }
      return found
    }
    func needMessage(_ id: String) throws(ParleyError) -> Message {
      guard let found = message(id) else { throw .unknownMessage(id) }
      return found
    }
    func needCommunity(_ id: String) throws(ParleyError) -> Community {
      guard let found = community(id) else { throw .unknownCommunity(id) }
      return found
    }
    func aboutMessage(_ stored: Message, member id: String) throws(ParleyError) -> EventContext {
      let thread = try needThread(stored.thread)
      return EventContext(
        community: try needCommunity(thread.community), member: try needMember(id), thread: thread,
        recentMessages: recent(thread.id, recentMessages), storedMessage: stored)
    }

    switch event {
    case .messagePosted(let posted):
      let thread = try needThread(posted.thread)
      return EventContext(
        community: try needCommunity(thread.community), member: try needMember(posted.author),
        thread: thread, recentMessages: recent(thread.id, recentMessages))
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
    }
  }
}
