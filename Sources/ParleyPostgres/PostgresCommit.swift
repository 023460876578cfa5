import Foundation
import Logging
import Parley
import PostgresNIO

/// Writes one event's decision and changes inside its transaction. The
/// statements every event runs are prepared once per connection.
struct PostgresCommit {
  var connection: PostgresConnection
  var logger: Logger

  func write(_ changes: Changes) async throws {
    if case .timerDue(let timer) = changes.decision.event {
      // The row is this decision's ticket: a host whose lease ran out while
      // it decided finds it gone (or waits for the holder, then finds it
      // gone) and rolls back, so each timer is decided once.
      let deleted = try await connection.rows(
        "DELETE FROM timer WHERE id = \(timer.id) RETURNING id", logger)
      guard !deleted.isEmpty else { throw ParleyError.timerAlreadyFired(timer.id) }
    }
    for message in changes.messages {
      _ = try await connection.execute(SaveMessage(message: message), logger: logger)
    }
    for change in changes.members {
      _ = try await connection.execute(AddToMember(change: change), logger: logger)
    }
    for change in changes.threads where !change.isEmpty {
      let rows = try await connection.rows(
        "SELECT * FROM thread WHERE id = \(change.thread) FOR UPDATE", logger)
      guard var thread = try rows.first.map(PostgresRows.thread) else { continue }
      change.apply(to: &thread)
      try await connection.run(try PostgresRows.upsert(thread), logger)
    }
    for timer in changes.timers {
      let data = try JSON.text(timer.data)
      try await connection.run(
        """
        INSERT INTO timer (id, community, plugin, name, due, thread, data)
        VALUES (\(timer.id), \(timer.community), \(timer.plugin), \(timer.name),
          \(timer.due.seconds), \(timer.thread), \(data))
        """, logger)
    }
    for review in changes.reviewsOpened { try await open(review) }
    for message in changes.reviewsClosed {
      try await connection.run("DELETE FROM review WHERE message = \(message)", logger)
    }
    for appeal in changes.appeals {
      let body = try JSON.text(appeal)
      try await connection.run(
        """
        INSERT INTO appeal (decision, community, member, filed_at, pending, body)
        VALUES (\(appeal.decision), \(appeal.community), \(appeal.member),
          \(appeal.filedAt.seconds), \(appeal.isPending), \(body))
        ON CONFLICT (decision) DO UPDATE SET pending = excluded.pending, body = excluded.body
        """, logger)
    }
    _ = try await connection.execute(
      try AppendDecision(decision: changes.decision), logger: logger)
  }

  /// Opens a review, or merges it into the one open for its message, in
  /// place so the queue keeps its order.
  private func open(_ review: Review) async throws {
    let stored = try await connection.rows(
      "SELECT body FROM review WHERE message = \(review.message) FOR UPDATE", logger
    ).first.map { try JSON.value(Review.self, from: try $0.decode(String.self)) }
    guard let stored else {
      let body = try JSON.text(review)
      try await connection.run(
        """
        INSERT INTO review (message, community, held_at, body)
        VALUES (\(review.message), \(review.community), \(review.heldAt.seconds), \(body))
        """, logger)
      return
    }
    let body = try JSON.text(stored.merged(with: review))
    try await connection.run(
      "UPDATE review SET body = \(body) WHERE message = \(review.message)", logger)
  }
}

// MARK: The statements every event runs

struct SaveMessage: PostgresPreparedStatement {
  static let sql = """
    INSERT INTO message (id, thread, author, text, created_at, reply_to, sponsored, automated)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
    ON CONFLICT (id) DO UPDATE SET text = excluded.text, sponsored = excluded.sponsored,
      automated = excluded.automated
    """
  typealias Row = ()
  var message: Message

  func makeBindings() throws -> PostgresBindings {
    var bindings = PostgresBindings(capacity: 8)
    bindings.append(message.id)
    bindings.append(message.thread)
    bindings.append(message.author)
    bindings.append(message.text)
    bindings.append(message.createdAt.seconds)
    bindings.append(message.replyTo)
    bindings.append(message.sponsored)
    bindings.append(message.automated)
    return bindings
  }

  func decodeRow(_ row: PostgresRow) throws {}
}

/// Adds to a member's counters in the database, so events of different
/// threads (and hosts) touching one member never overwrite each other.
struct AddToMember: PostgresPreparedStatement {
  static let sql = """
    UPDATE member SET posts = posts + $1, replies_to_others = replies_to_others + $2,
      replies_received = replies_received + $3, questions_asked = questions_asked + $4,
      questions_answered = questions_answered + $5, score = score + $6,
      muted_until = CASE WHEN $7 THEN NULL WHEN $8::float8 IS NULL THEN muted_until
        ELSE greatest(coalesce(muted_until, 0), $8::float8) END
    WHERE id = $9
    """
  typealias Row = ()
  var change: MemberChange

  func makeBindings() throws -> PostgresBindings {
    var bindings = PostgresBindings(capacity: 9)
    bindings.append(change.history.posts)
    bindings.append(change.history.repliesToOthers)
    bindings.append(change.history.repliesReceived)
    bindings.append(change.history.questionsAsked)
    bindings.append(change.history.questionsAnswered)
    bindings.append(change.score)
    bindings.append(change.liftMute)
    bindings.append(change.mutedUntil?.seconds)
    bindings.append(change.member)
    return bindings
  }

  func decodeRow(_ row: PostgresRow) throws {}
}

/// Appends to the audit log (the table refuses updates and deletes).
struct AppendDecision: PostgresPreparedStatement {
  static let sql = """
    INSERT INTO decision (id, community, kind, member, message, verdict, revision, decided_at,
      explanation, body)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
    """
  typealias Row = ()
  var decision: Decision
  var body: String

  init(decision: Decision) throws {
    self.decision = decision
    self.body = try JSON.text(decision)
  }

  func makeBindings() throws -> PostgresBindings {
    let (member, message) = decision.subject
    var bindings = PostgresBindings(capacity: 10)
    bindings.append(decision.id)
    bindings.append(decision.community)
    bindings.append(decision.event.kind.rawValue)
    bindings.append(member)
    bindings.append(message)
    bindings.append(decision.verdict.rawValue)
    bindings.append(decision.revision)
    bindings.append(decision.decidedAt.seconds)
    bindings.append(decision.explanation)
    bindings.append(body)
    return bindings
  }

  func decodeRow(_ row: PostgresRow) throws {}
}
