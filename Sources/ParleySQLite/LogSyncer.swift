import Foundation
import GRDB
import Parley

#if canImport(Glibc)
import Glibc
#endif

/// Makes committed transactions durable behind the writer. The writer
/// commits with `synchronous = NORMAL` (SQLite writes the log but does not
/// sync it) and goes straight on to its next transaction, while this syncs
/// the log and only then tells the transaction's events. One sync covers
/// every transaction committed before it, so a sync that finds several
/// waiting pays once for all of them.
///
/// Why this is as durable as `synchronous = FULL`: a transaction is on disk
/// once the log's frames up to its commit frame are, and a sync of the log
/// file started after the commit returned covers them. Had SQLite copied the
/// log back into the database and started it again in the meantime, it
/// synced the log before the copy and the database after it (what
/// `NORMAL` does at a checkpoint), so the transaction is in the synced
/// database.
final class LogSyncer: Sendable {
  typealias Done = @Sendable (Result<Void, any Error>) -> Void

  /// The database file, from the root: what it syncs, and what the store's
  /// write errors name.
  let databasePath: String
  private let sync: @Sendable (_ databasePath: String) throws -> Void
  private let waiting = Batches<Done>()
  private let syncs = DispatchQueue(label: "parley.sqlite.log-sync")

  /// - Parameter sync: Makes what was committed to the database at
  ///   `databasePath` durable: ``syncLog(of:)``, or in tests one that waits
  ///   or fails.
  init(databasePath: String, sync: @escaping @Sendable (_ databasePath: String) throws -> Void) {
    self.databasePath = databasePath
    self.sync = sync
  }

  /// Tells `done` once everything committed so far is on disk. Call it after
  /// the commit returned, in commit order.
  func whenDurable(_ done: [Done]) {
    if waiting.add(contentsOf: done) { syncs.async { self.drain() } }
  }

  /// Syncs until nobody is waiting: a blocking call, on a queue of its own.
  private func drain() {
    while let batch = waiting.take() {
      let result = Result { try sync(databasePath) }
      for done in batch { done(result) }
    }
  }

  /// Syncs the database's write-ahead log to disk.
  /// - Throws: `DatabaseError` (`SQLITE_IOERR_FSYNC`) naming the file.
  static func syncLog(of databasePath: String) throws {
    var path = databasePath + "-wal"
    var descriptor = open(path, O_RDONLY | O_CLOEXEC)
    // No log: SQLite removes it only after copying it into the database
    // and syncing that, so syncing the database is all that is left to do.
    if descriptor < 0 && errno == ENOENT {
      path = databasePath
      descriptor = open(path, O_RDONLY | O_CLOEXEC)
    }
    guard descriptor >= 0 else { throw failure("open", path) }
    defer { close(descriptor) }
    #if canImport(Glibc)
    guard fdatasync(descriptor) == 0 else { throw failure("sync", path) }
    #else
    guard fsync(descriptor) == 0 else { throw failure("sync", path) }
    #endif
  }

  private static func failure(_ what: String, _ path: String) -> DatabaseError {
    let reason = String(cString: strerror(errno))
    return DatabaseError(
      resultCode: .SQLITE_IOERR_FSYNC,
      message: """
        could not \(what) \(path): \(reason). The event's changes are written but may not \
        survive a power loss; check the disk and the file's permissions
        """)
  }
}
