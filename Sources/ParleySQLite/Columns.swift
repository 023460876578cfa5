import GRDB

/// The columns each reader in ``Rows`` takes, in the order it takes them.
///
/// Rows are read by position: GRDB's lookup by name compares every column
/// name case-insensitively on every read, and the event path reads about
/// 200 columns per event (the member, the thread and its 20 latest
/// messages). Qualified names, so a join can select them too.
enum Columns {
  static let community = "community.id, community.name, community.plugins, community.appeals"

  static let member = """
    member.id, member.community, member.displayName, member.role, member.affiliation, \
    member.joinedAt, member.trustLevel, member.consentSupport, member.consentNews, \
    member.consentOffers, member.posts, member.repliesToOthers, member.repliesReceived, \
    member.questionsAsked, member.questionsAnswered, member.score, member.mutedUntil
    """

  static let thread = """
    thread.id, thread.community, thread.title, thread.opener, thread.status, \
    thread.participants, thread.tags, thread.assignedTeam
    """

  static let message = """
    message.id, message.thread, message.author, message.text, message.createdAt, \
    message.replyTo, message.sponsored, message.automated
    """
}

extension Statement {
  /// The first row's value, read straight from the statement.
  ///
  /// GRDB's `fetchOne` and `fetchAll` copy every row before handing it
  /// over; a reader that turns the row into a value at once needs no copy.
  func first<Value>(_ arguments: StatementArguments, _ read: (Row) throws -> Value) throws
    -> Value?
  {
    let rows = try Row.fetchCursor(self, arguments: arguments)
    return try rows.next().map(read)
  }

  /// Every row's value, read straight from the statement, in order.
  func all<Value>(_ arguments: StatementArguments, _ read: (Row) throws -> Value) throws
    -> [Value]
  {
    let rows = try Row.fetchCursor(self, arguments: arguments)
    var values: [Value] = []
    while let row = try rows.next() { values.append(try read(row)) }
    return values
  }
}
