import Foundation
import GRDB
import Parley

/// Writes events' changes in shared transactions: while one transaction is
/// being written, the events that arrive wait and then go together in the
/// next. Each caller returns only once its own changes are durable.
final class GroupCommitter: Sendable {
  /// An event's changes with their JSON already encoded: encoding runs in
  /// the event's own task, on any core, so the one writer only binds text.
  struct Encoded {
    var changes: Changes
    var decisionBody: String

    init(_ changes: Changes) throws {
      self.changes = changes
      decisionBody = try JSON.text(changes.decision)
    }
  }

  private struct Queue {
    var pending: [(Encoded, CheckedContinuation<Void, any Error>)] = []
    var writing = false
  }

  private let pool: DatabasePool
  private let state: SQLitePluginState
  private let queue = Locked(Queue())

  init(pool: DatabasePool, state: SQLitePluginState) {
    self.pool = pool
    self.state = state
  }

  func commit(_ changes: Changes) async throws {
    let encoded = try Encoded(changes)
    try await withCheckedThrowingContinuation {
      (continuation: CheckedContinuation<Void, any Error>) in
      let startWriter = queue.withLock { queue in
        queue.pending.append((encoded, continuation))
        if queue.writing { return false }
        queue.writing = true
        return true
      }
      if startWriter { Task { await self.drain() } }
    }
  }

  /// Writes batches until nobody is waiting.
  private func drain() async {
    while true {
      let batch = queue.withLock { queue in
        let batch = queue.pending
        queue.pending.removeAll()
        if batch.isEmpty { queue.writing = false }
        return batch
      }
      if batch.isEmpty { return }
      do {
        let dirty = state.takeDirty()
        try await pool.write { db in
          for (encoded, _) in batch { try Self.write(encoded, db) }
          try SQLitePluginState.write(dirty, db)
        }
        for (_, continuation) in batch { continuation.resume() }
      } catch {
        for (_, continuation) in batch { continuation.resume(throwing: error) }
      }
    }
  }

  static func write(_ encoded: Encoded, _ db: Database) throws {
    let changes = encoded.changes
    for message in changes.messages { try Rows.save(message, db) }
    for change in changes.members {
      try db.executeCached(
        sql: """
          UPDATE member SET posts = posts + ?, repliesToOthers = repliesToOthers + ?,
            repliesReceived = repliesReceived + ?, questionsAsked = questionsAsked + ?,
            questionsAnswered = questionsAnswered + ?, score = score + ?,
            mutedUntil = CASE WHEN ? THEN NULL WHEN ? IS NULL THEN mutedUntil
              ELSE max(coalesce(mutedUntil, 0), ?) END
          WHERE id = ?
          """,
        arguments: [
          change.history.posts, change.history.repliesToOthers, change.history.repliesReceived,
          change.history.questionsAsked, change.history.questionsAnswered, change.score,
          change.liftMute, change.mutedUntil?.seconds, change.mutedUntil?.seconds, change.member,
        ])
    }
    for change in changes.threads { try Rows.apply(change, db) }
    for timer in changes.timers {
      try db.executeCached(
        sql:
          "INSERT INTO timer (id, community, plugin, name, due, thread, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
        arguments: [
          timer.id, timer.community, timer.plugin, timer.name, timer.due.seconds, timer.thread,
          try JSON.text(timer.data),
        ])
    }
    for review in changes.reviewsOpened { try Rows.open(review, db) }
    for message in changes.reviewsClosed {
      try db.executeCached(sql: "DELETE FROM review WHERE message = ?", arguments: [message])
    }
    for appeal in changes.appeals { try Rows.save(appeal, db) }
    try Rows.append(changes.decision, body: encoded.decisionBody, db)
  }
}
