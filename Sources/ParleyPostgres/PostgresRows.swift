import Foundation
import Logging
import Parley
import PostgresNIO

/// Reading domain values out of rows, and the statements that write them.
enum PostgresRows {
  // Lookups by id, answered synchronously on the event's connection: the
  // context every store reads through `EventContext.resolve`.

  static func community(_ connection: PostgresConnection, id: String, _ logger: Logger) throws
    -> Community?
  {
    try connection.rowsNow("SELECT * FROM community WHERE id = \(id)", logger).first.map(community)
  }

  static func member(_ connection: PostgresConnection, id: String, _ logger: Logger) throws
    -> Member?
  {
    try connection.rowsNow("SELECT * FROM member WHERE id = \(id)", logger).first.map(member)
  }

  static func thread(_ connection: PostgresConnection, id: String, _ logger: Logger) throws
    -> DialogueThread?
  {
    try connection.rowsNow("SELECT * FROM thread WHERE id = \(id)", logger).first.map(thread)
  }

  static func message(_ connection: PostgresConnection, id: String, _ logger: Logger) throws
    -> Message?
  {
    try connection.rowsNow("SELECT * FROM message WHERE id = \(id)", logger).first.map(message)
  }

  static func recent(
    _ connection: PostgresConnection, thread: String, limit: Int, _ logger: Logger
  ) throws -> [Message] {
    try connection.rowsNow(
      "SELECT * FROM message WHERE thread = \(thread) ORDER BY seq DESC LIMIT \(limit)", logger
    ).reversed().map(message)
  }

  static func decision(_ connection: PostgresConnection, id: String, _ logger: Logger) throws
    -> Decision?
  {
    try connection.rowsNow("SELECT body FROM decision WHERE id = \(id)", logger).first.map {
      try JSON.value(Decision.self, from: try $0.decode(String.self))
    }
  }

  static func appeal(_ connection: PostgresConnection, decision: String, _ logger: Logger) throws
    -> AppealRecord?
  {
    try connection.rowsNow("SELECT body FROM appeal WHERE decision = \(decision)", logger).first
      .map { try JSON.value(AppealRecord.self, from: try $0.decode(String.self)) }
  }

  // MARK: Rows to values

  static func community(_ row: PostgresRow) throws -> Community {
    let row = row.makeRandomAccess()
    return Community(
      id: try row["id"].decode(String.self), name: try row["name"].decode(String.self),
      plugins: try JSON.value([EnabledPlugin].self, from: try row["plugins"].decode(String.self)),
      appeals: try JSON.value(AppealPolicy.self, from: try row["appeals"].decode(String.self)))
  }

  static func member(_ row: PostgresRow) throws -> Member {
    let row = row.makeRandomAccess()
    func int(_ column: String) throws -> Int { try row[column].decode(Int.self) }
    func bool(_ column: String) throws -> Bool { try row[column].decode(Bool.self) }
    return Member(
      id: try row["id"].decode(String.self), community: try row["community"].decode(String.self),
      displayName: try row["display_name"].decode(String.self),
      role: Member.Role(rawValue: try row["role"].decode(String.self)) ?? .member,
      affiliation: try row["affiliation"].decode(String?.self),
      joinedAt: Date(seconds: try row["joined_at"].decode(Double.self)),
      trustLevel: try int("trust_level"),
      consents: Consents(
        support: try bool("consent_support"), news: try bool("consent_news"),
        offers: try bool("consent_offers")),
      history: DialogueHistory(
        posts: try int("posts"), repliesToOthers: try int("replies_to_others"),
        repliesReceived: try int("replies_received"), questionsAsked: try int("questions_asked"),
        questionsAnswered: try int("questions_answered")),
      score: try int("score"),
      mutedUntil: try row["muted_until"].decode(Double?.self).map(Date.init(seconds:)))
  }

  static func thread(_ row: PostgresRow) throws -> DialogueThread {
    let row = row.makeRandomAccess()
    return DialogueThread(
      id: try row["id"].decode(String.self), community: try row["community"].decode(String.self),
      title: try row["title"].decode(String.self), opener: try row["opener"].decode(String.self),
      status: DialogueThread.Status(rawValue: try row["status"].decode(String.self)) ?? .open,
      participants: try JSON.strings(from: try row["participants"].decode(String.self)),
      tags: try JSON.strings(from: try row["tags"].decode(String.self)),
      assignedTeam: try row["assigned_team"].decode(String?.self))
  }

  static func message(_ row: PostgresRow) throws -> Message {
    let row = row.makeRandomAccess()
    return Message(
      id: try row["id"].decode(String.self), thread: try row["thread"].decode(String.self),
      author: try row["author"].decode(String.self), text: try row["text"].decode(String.self),
      createdAt: Date(seconds: try row["created_at"].decode(Double.self)),
      replyTo: try row["reply_to"].decode(String?.self),
      sponsored: try row["sponsored"].decode(Bool.self),
      automated: try row["automated"].decode(Bool.self))
  }

  static func timer(_ row: PostgresRow) throws -> ScheduledTimer {
    let row = row.makeRandomAccess()
    return ScheduledTimer(
      id: try row["id"].decode(String.self), community: try row["community"].decode(String.self),
      plugin: try row["plugin"].decode(String.self), name: try row["name"].decode(String.self),
      due: Date(seconds: try row["due"].decode(Double.self)),
      thread: try row["thread"].decode(String?.self),
      data: try JSON.value([String: TimerValue].self, from: try row["data"].decode(String.self)))
  }

  // MARK: Values to statements

  static func upsert(_ member: Member) -> PostgresQuery {
    let history = member.history
    return """
      INSERT INTO member (id, community, display_name, role, affiliation, joined_at, trust_level,
        consent_support, consent_news, consent_offers, posts, replies_to_others, replies_received,
        questions_asked, questions_answered, score, muted_until)
      VALUES (\(member.id), \(member.community), \(member.displayName), \(member.role.rawValue),
        \(member.affiliation), \(member.joinedAt.seconds), \(member.trustLevel),
        \(member.consents.support), \(member.consents.news), \(member.consents.offers),
        \(history.posts), \(history.repliesToOthers), \(history.repliesReceived),
        \(history.questionsAsked), \(history.questionsAnswered), \(member.score),
        \(member.mutedUntil?.seconds))
      ON CONFLICT (id) DO UPDATE SET community = excluded.community,
        display_name = excluded.display_name, role = excluded.role,
        affiliation = excluded.affiliation, joined_at = excluded.joined_at,
        trust_level = excluded.trust_level, consent_support = excluded.consent_support,
        consent_news = excluded.consent_news, consent_offers = excluded.consent_offers,
        posts = excluded.posts, replies_to_others = excluded.replies_to_others,
        replies_received = excluded.replies_received, questions_asked = excluded.questions_asked,
        questions_answered = excluded.questions_answered, score = excluded.score,
        muted_until = excluded.muted_until
      """
  }

  static func upsert(_ thread: DialogueThread) throws -> PostgresQuery {
    let participants = try JSON.text(thread.participants)
    let tags = try JSON.text(thread.tags)
    return """
      INSERT INTO thread (id, community, title, opener, status, participants, tags, assigned_team)
      VALUES (\(thread.id), \(thread.community), \(thread.title), \(thread.opener),
        \(thread.status.rawValue), \(participants), \(tags), \(thread.assignedTeam))
      ON CONFLICT (id) DO UPDATE SET community = excluded.community, title = excluded.title,
        opener = excluded.opener, status = excluded.status, participants = excluded.participants,
        tags = excluded.tags, assigned_team = excluded.assigned_team
      """
  }
}
