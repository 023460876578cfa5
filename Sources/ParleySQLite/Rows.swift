import Foundation
import GRDB
import Parley

/// Reading domain values out of rows, and writing them.
enum Rows {
  // Lookups by id, on statements prepared once per connection: the event
  // path runs them for every event.

  static func community(_ db: Database, id: String) throws -> Community? {
    try db.cachedStatement(sql: Query.communityById).first([id], community)
  }

  static func member(_ db: Database, id: String) throws -> Member? {
    try db.cachedStatement(sql: Query.memberById).first([id], member)
  }

  static func thread(_ db: Database, id: String) throws -> DialogueThread? {
    try db.cachedStatement(sql: Query.threadById).first([id], thread)
  }

  static func message(_ db: Database, id: String) throws -> Message? {
    try db.cachedStatement(sql: Query.messageById).first([id], message)
  }

  /// The event path's queries, built once.
  private enum Query {
    static let communityById = "SELECT \(Columns.community) FROM community WHERE id = ?"
    static let memberById = "SELECT \(Columns.member) FROM member WHERE id = ?"
    static let threadById = "SELECT \(Columns.thread) FROM thread WHERE id = ?"
    static let messageById = "SELECT \(Columns.message) FROM message WHERE id = ?"
    static let anyMessage = "SELECT EXISTS (SELECT 1 FROM message WHERE thread = ?)"
    static let recentMessages =
      "SELECT \(Columns.message) FROM message WHERE thread = ? ORDER BY seq DESC LIMIT ?"
  }

  /// Whether the file holds any message of the thread.
  static func hasMessages(_ db: Database, thread: String) throws -> Bool {
    try Bool.fetchOne(db.cachedStatement(sql: Query.anyMessage), arguments: [thread]) ?? false
  }

  /// A thread's latest messages, oldest first.
  static func recentMessages(_ db: Database, thread: String, limit: Int) throws -> [Message] {
    try db.cachedStatement(sql: Query.recentMessages).all([thread, limit], message).reversed()
  }

  static func community(_ row: Row) throws -> Community {
    let plugins: String = row[2]
    let appeals: String? = row[3]
    let key = CommunitySettings.Key(plugins: plugins, appeals: appeals)
    if let settings = communitySettings.withLock({ $0[key] }) {
      return Community(
        id: row[0], name: row[1], plugins: settings.plugins, appeals: settings.appeals)
    }
    let settings = CommunitySettings(
      plugins: try JSON.value([EnabledPlugin].self, from: plugins),
      appeals: try appeals.map { try JSON.value(AppealPolicy.self, from: $0) } ?? AppealPolicy())
    communitySettings.withLock { memo in
      if memo.count >= 64 { memo.removeAll() }
      memo[key] = settings
    }
    return Community(id: row[0], name: row[1], plugins: settings.plugins, appeals: settings.appeals)
  }

  /// A community's plugins and appeal policy, decoded.
  private struct CommunitySettings {
    struct Key: Hashable {
      var plugins: String
      var appeals: String?
    }
    var plugins: [EnabledPlugin]
    var appeals: AppealPolicy
  }

  /// Settings by their stored text: every event's context reads its
  /// community, whose settings rarely change, so each text is decoded once.
  private static let communitySettings = Locked<[CommunitySettings.Key: CommunitySettings]>([:])

  static func save(_ community: Community, _ db: Database) throws {
    try db.executeCached(
      sql: """
        INSERT INTO community (id, name, plugins, appeals) VALUES (?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET name = excluded.name, plugins = excluded.plugins,
          appeals = excluded.appeals
        """,
      arguments: [
        community.id, community.name, try JSON.text(community.plugins),
        try JSON.text(community.appeals),
      ])
  }

  static func member(_ row: Row) -> Member {
    Member(
      id: row[0], community: row[1], displayName: row[2],
      role: Member.Role(rawValue: row[3]) ?? .member, affiliation: row[4],
      joinedAt: Date(seconds: row[5]), trustLevel: row[6],
      consents: Consents(support: row[7], news: row[8], offers: row[9]),
      history: DialogueHistory(
        posts: row[10], repliesToOthers: row[11], repliesReceived: row[12],
        questionsAsked: row[13], questionsAnswered: row[14]),
      score: row[15], mutedUntil: (row[16] as Double?).map(Date.init(seconds:)))
  }

  static func save(_ member: Member, _ db: Database) throws {
    try db.executeCached(
      sql: """
        INSERT INTO member (id, community, displayName, role, affiliation, joinedAt, trustLevel,
          consentSupport, consentNews, consentOffers, posts, repliesToOthers, repliesReceived,
          questionsAsked, questionsAnswered, score, mutedUntil)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET community = excluded.community, displayName = excluded.displayName,
          role = excluded.role, affiliation = excluded.affiliation, joinedAt = excluded.joinedAt,
          trustLevel = excluded.trustLevel, consentSupport = excluded.consentSupport,
          consentNews = excluded.consentNews, consentOffers = excluded.consentOffers,
          posts = excluded.posts, repliesToOthers = excluded.repliesToOthers,
          repliesReceived = excluded.repliesReceived, questionsAsked = excluded.questionsAsked,
          questionsAnswered = excluded.questionsAnswered, score = excluded.score,
          mutedUntil = excluded.mutedUntil
        """,
      arguments: [
        member.id, member.community, member.displayName, member.role.rawValue, member.affiliation,
        member.joinedAt.seconds, member.trustLevel, member.consents.support, member.consents.news,
        member.consents.offers, member.history.posts, member.history.repliesToOthers,
        member.history.repliesReceived, member.history.questionsAsked,
        member.history.questionsAnswered,
        member.score, member.mutedUntil?.seconds,
      ])
  }

  static func thread(_ row: Row) throws -> DialogueThread {
    DialogueThread(
      id: row[0], community: row[1], title: row[2], opener: row[3],
      status: DialogueThread.Status(rawValue: row[4]) ?? .open,
      participants: try JSON.strings(from: row[5]), tags: try JSON.strings(from: row[6]),
      assignedTeam: row[7])
  }

  static func save(_ thread: DialogueThread, _ db: Database) throws {
    try db.executeCached(
      sql: """
        INSERT INTO thread (id, community, title, opener, status, participants, tags, assignedTeam)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET community = excluded.community, title = excluded.title,
          opener = excluded.opener, status = excluded.status, participants = excluded.participants,
          tags = excluded.tags, assignedTeam = excluded.assignedTeam
        """,
      arguments: [
        thread.id, thread.community, thread.title, thread.opener, thread.status.rawValue,
        try JSON.text(thread.participants), try JSON.text(thread.tags), thread.assignedTeam,
      ])
  }

  static func message(_ row: Row) -> Message {
    Message(
      id: row[0], thread: row[1], author: row[2], text: row[3], createdAt: Date(seconds: row[4]),
      replyTo: row[5], sponsored: row[6], automated: row[7])
  }

  /// Applies an event's change to a stored thread in SQL, as
  /// ``ThreadChange/apply(to:)`` does to a value: participants and tags are
  /// appended unless already there, status and team replaced when set. The
  /// one writer neither reads nor decodes nor encodes the row.
  static func apply(_ change: ThreadChange, _ db: Database) throws {
    for participant in change.participants {
      var update = try BoundStatement(
        db,
        sql: """
          UPDATE thread SET participants = json_insert(participants, '$[#]', ?1)
          WHERE id = ?2 AND NOT EXISTS (SELECT 1 FROM json_each(participants) WHERE value = ?1)
          """)
      update.bind(participant)
      update.bind(change.thread)
      try update.run()
    }
    for tag in change.tags {
      try db.executeCached(
        sql: """
          UPDATE thread SET tags = json_insert(tags, '$[#]', ?1)
          WHERE id = ?2 AND NOT EXISTS (SELECT 1 FROM json_each(tags) WHERE value = ?1)
          """,
        arguments: [tag, change.thread])
    }
    if change.status != nil || change.assignedTeam != nil {
      try db.executeCached(
        sql: """
          UPDATE thread SET status = coalesce(?, status), assignedTeam = coalesce(?, assignedTeam)
          WHERE id = ?
          """,
        arguments: [change.status?.rawValue, change.assignedTeam, change.thread])
    }
  }

  static func save(_ message: Message, _ db: Database) throws {
    var insert = try BoundStatement(
      db,
      sql: """
        INSERT INTO message (id, thread, author, text, createdAt, replyTo, sponsored, automated)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET text = excluded.text, sponsored = excluded.sponsored,
          automated = excluded.automated
        """)
    insert.bind(message.id)
    insert.bind(message.thread)
    insert.bind(message.author)
    insert.bind(message.text)
    insert.bind(message.createdAt.seconds)
    insert.bind(message.replyTo)
    insert.bind(message.sponsored)
    insert.bind(message.automated)
    try insert.run()
  }

  static func timer(_ row: Row) throws -> ScheduledTimer {
    ScheduledTimer(
      id: row["id"], community: row["community"], plugin: row["plugin"], name: row["name"],
      due: Date(seconds: row["due"]), thread: row["thread"],
      data: try JSON.value([String: TimerValue].self, from: row["data"]))
  }

  static func review(_ row: Row) throws -> Review {
    Review(
      message: row["message"], community: row["community"],
      kind: Review.Kind(rawValue: row["kind"]) ?? .held, member: row["member"],
      rules: try JSON.value([Provenance].self, from: row["rules"]),
      reasons: try JSON.value([String].self, from: row["reasons"]), decision: row["decision"],
      reporters: try JSON.value([String].self, from: row["reporters"]),
      heldAt: Date(seconds: row["heldAt"]))
  }

  /// Opens a review, or merges it into the one already open for its message.
  static func open(_ review: Review, _ db: Database) throws {
    let stored = try Row.fetchOne(
      db.cachedStatement(sql: "SELECT * FROM review WHERE message = ?"),
      arguments: [review.message]
    ).map(Rows.review)
    guard let stored else {
      try db.executeCached(
        sql: """
          INSERT INTO review (message, community, kind, member, rules, reasons, decision, reporters, heldAt)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          review.message, review.community, review.kind.rawValue, review.member,
          try JSON.text(review.rules), try JSON.text(review.reasons), review.decision,
          try JSON.text(review.reporters), review.heldAt.seconds,
        ])
      return
    }
    // Updated in place, so the queue's order (heldAt, then rowid) stays put.
    let merged = stored.merged(with: review)
    try db.executeCached(
      sql: """
        UPDATE review SET member = ?, rules = ?, reasons = ?, decision = ?, reporters = ?
        WHERE message = ?
        """,
      arguments: [
        merged.member, try JSON.text(merged.rules), try JSON.text(merged.reasons), merged.decision,
        try JSON.text(merged.reporters), merged.message,
      ])
  }

  /// Appends a decision to the audit log; `body` is its JSON.
  static func append(_ decision: Decision, body: String, _ db: Database) throws {
    let (member, message) = decision.subject
    var insert = try BoundStatement(
      db,
      sql: """
        INSERT INTO decision (decisionId, community, kind, member, message, verdict, revision, decidedAt, explanation, body)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)
    insert.bind(decision.id)
    insert.bind(decision.community)
    insert.bind(decision.event.kind.rawValue)
    insert.bind(member)
    insert.bind(message)
    insert.bind(decision.verdict.rawValue)
    insert.bind(decision.revision)
    insert.bind(decision.decidedAt.seconds)
    insert.bind(decision.explanation)
    insert.bind(body)
    try insert.run()
  }
}

extension Database {
  /// Runs one statement, prepared once per connection and reused: the
  /// write path runs the same few statements for every event.
  func executeCached(sql: String, arguments: StatementArguments = StatementArguments()) throws {
    try cachedStatement(sql: sql).execute(arguments: arguments)
  }
}

extension Rows {
  static func decision(_ db: Database, id: String) throws -> Decision? {
    try String.fetchOne(
      db.cachedStatement(sql: "SELECT body FROM decision WHERE decisionId = ?"), arguments: [id]
    ).map { try JSON.value(Decision.self, from: $0) }
  }

  static func appeal(_ db: Database, decision: String) throws -> AppealRecord? {
    try String.fetchOne(
      db.cachedStatement(sql: "SELECT body FROM appeal WHERE decision = ?"), arguments: [decision]
    ).map { try JSON.value(AppealRecord.self, from: $0) }
  }

  static func save(_ appeal: AppealRecord, _ db: Database) throws {
    try db.executeCached(
      sql: """
        INSERT INTO appeal (decision, community, member, filedAt, pending, body) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(decision) DO UPDATE SET pending = excluded.pending, body = excluded.body
        """,
      arguments: [
        appeal.decision, appeal.community, appeal.member, appeal.filedAt.seconds, appeal.isPending,
        try JSON.text(appeal),
      ])
  }
}
