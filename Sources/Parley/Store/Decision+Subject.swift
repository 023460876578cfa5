extension Decision {
  /// The member and message a decision is about, for the audit log's indexes.
  package var subject: (member: String?, message: String?) {
    switch event {
    case .messagePosted(let message), .messageEdited(let message): (message.author, message.id)
    case .memberJoined(let member): (member, nil)
    case .reportFiled(let report): (nil, report.message)
    case .consentChanged(let change): (change.member, nil)
    case .timerDue: (nil, nil)
    case .reviewResolved(let review): (nil, review.message)
    case .appealFiled(let appeal): (appeal.member, nil)
    case .appealResolved: (nil, nil)
    }
  }
}
