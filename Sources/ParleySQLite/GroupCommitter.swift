import Foundation
import GRDB
import Parley

/// Writes events' changes in shared transactions: while one transaction is
/// being written, the events that arrive wait and then go together in the
/// next. Each caller returns only once its own changes are durable: the
/// writer does not wait for the disk, a ``LogSyncer`` does, so the next
/// transaction is written while the last one is synced.
///
/// The batches are written by a blocking loop on a queue of its own, not by
/// a task awaiting the pool: an awaited write hops to the pool's writer
/// thread and back for every batch, two wake-ups that on a busy machine
/// took a sixth of the writer's time (docs/performance.md).
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

  /// A change set waiting for the writer, and who to tell once it is
  /// durable.
  private struct Waiting {
    var encoded: Encoded
    var seq: Int
    var done: @Sendable (Result<Void, any Error>) -> Void
  }

  private let pool: DatabasePool
  private let state: SQLitePluginState
  private let cache: ContextCache
  private let syncer: LogSyncer
  private let pending = Batches<Waiting>()
  private let writer = DispatchQueue(label: "parley.sqlite.group-commit")

  init(pool: DatabasePool, state: SQLitePluginState, cache: ContextCache, syncer: LogSyncer) {
    self.pool = pool
    self.state = state
    self.cache = cache
    self.syncer = syncer
  }

  /// Queues one event's changes, numbered `seq` by the cache (which calls
  /// this in that order); `done` runs once they are durable, or failed.
  func enqueue(
    _ encoded: Encoded, seq: Int, done: @escaping @Sendable (Result<Void, any Error>) -> Void
  ) {
    if pending.add(Waiting(encoded: encoded, seq: seq, done: done)) {
      writer.async { self.drain() }
    }
  }

  /// Writes batches until nobody is waiting: a blocking call, on the
  /// committer's own queue. A synchronous write waits for the pool's writer
  /// and, as libdispatch does when it can, runs on this thread.
  private func drain() {
    while let batch = pending.take() {
      let last = batch[batch.count - 1].seq
      do {
        let dirty = state.takeDirty()
        try pool.writeWithoutTransaction { [cache] db in
          // Every other write of the store syncs at its commit (`FULL`);
          // the group commit leaves that to the syncer.
          try db.executeCached(sql: "PRAGMA synchronous = NORMAL")
          defer { try? db.executeCached(sql: "PRAGMA synchronous = FULL") }
          try db.inTransaction {
            try cache.checkForOtherWriters(db)
            for waiting in batch { try Self.write(waiting.encoded, db) }
            try SQLitePluginState.write(dirty, db)
            try db.executeCached(
              sql: """
                INSERT INTO writeMark (store, seq) VALUES (?, ?)
                ON CONFLICT(store) DO UPDATE SET seq = excluded.seq
                """,
              arguments: [cache.storeID, last])
            return .commit
          }
        }
        cache.written(through: last)
        syncer.whenDurable(batch.map(\.done))
      } catch {
        cache.failed(Set(batch.map(\.seq)))
        let failure = WriteFailure.describe(
          error, writing: "the event's changes", to: syncer.databasePath)
        for waiting in batch { waiting.done(.failure(failure)) }
      }
    }
  }

  static func write(_ encoded: Encoded, _ db: Database) throws {
    let changes = encoded.changes
    for message in changes.messages { try Rows.save(message, db) }
    for change in changes.members {
      var update = try BoundStatement(
        db,
        sql: """
          UPDATE member SET posts = posts + ?, repliesToOthers = repliesToOthers + ?,
            repliesReceived = repliesReceived + ?, questionsAsked = questionsAsked + ?,
            questionsAnswered = questionsAnswered + ?, score = score + ?,
            mutedUntil = CASE WHEN ?7 THEN NULL WHEN ?8 IS NULL THEN mutedUntil
              ELSE max(coalesce(mutedUntil, 0), ?8) END
          WHERE id = ?9
          """)
      update.bind(change.history.posts)
      update.bind(change.history.repliesToOthers)
      update.bind(change.history.repliesReceived)
      update.bind(change.history.questionsAsked)
      update.bind(change.history.questionsAnswered)
      update.bind(change.score)
      update.bind(change.liftMute)
      update.bind(change.mutedUntil?.seconds)
      update.bind(change.member)
      try update.run()
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
