import CSQLiteFaults
import Foundation
import GRDB
import GRDBSQLite
import Parley
import Testing

@testable import ParleySQLite

/// What the log's VFS (`parley_wal.c`) does when the disk fails it: a
/// commit whose gathered frames cannot be written must fail, as it would
/// without the VFS, must leave nothing of itself for readers, and must not
/// keep the connection from committing once the disk is back.
///
/// The failures come from `CSQLiteFaults`, which fails the writes of one
/// file; serialized, as there is one file to fail at a time.
@Suite("The SQLite store's log when the disk fails", .serialized)
struct LogVFSFaultTests {
  /// A connection through the VFS to a new database with a table of rows.
  func openThroughVFS(_ path: String) throws -> DatabaseQueue {
    #expect(sqlite_faults_install() == SQLITE_OK)
    let queue = try DatabaseQueue(path: LogVFS.location(of: path))
    try queue.writeWithoutTransaction { db in
      try db.execute(sql: "PRAGMA journal_mode = WAL")
      try db.execute(sql: "CREATE TABLE t (n INTEGER PRIMARY KEY, pad BLOB NOT NULL)")
    }
    return queue
  }

  /// A new database through the VFS holding rows 0 to 9, and the fixture
  /// that removes it.
  func tenRowsThroughVFS() throws -> (Fixture, DatabaseQueue) {
    let fixture = try Fixture()
    let queue = try openThroughVFS(fixture.database)
    try insert(0..<10, into: queue)
    return (fixture, queue)
  }

  func insert(_ numbers: Range<Int>, into queue: DatabaseQueue, bytes: Int = 1000) throws {
    try queue.write { db in
      for n in numbers {
        try db.execute(
          sql: "INSERT INTO t (n, pad) VALUES (?, randomblob(?))", arguments: [n, bytes])
      }
    }
  }

  /// The rows another connection, on SQLite's own VFS, finds in the file,
  /// after checking the file is whole.
  func numbersInTheFile(_ path: String) throws -> [Int] {
    let reader = try DatabaseQueue(path: path)
    #expect(try reader.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
    return try reader.read { try Int.fetchAll($0, sql: "SELECT n FROM t ORDER BY n") }
  }

  /// Parley over a store on a new file, whose writes can be made to fail.
  func openStore() async throws -> (Fixture, ManualClock, Parley, SQLiteStore) {
    #expect(sqlite_faults_install() == SQLITE_OK)
    let fixture = try Fixture()
    let clock = ManualClock()
    let (parley, store) = try await fixture.open(clock: clock)
    return (fixture, clock, parley, store)
  }

  /// The error `body` fails with when the next write to the store's log
  /// fails with `errorNumber`.
  func storeError(
    _ fixture: Fixture, failingWith errorNumber: Int32, _ body: () async throws -> Void
  ) async -> DatabaseError? {
    #expect(sqlite_faults_arm(fixture.database + "-wal", 0, 1, errorNumber) == 0)
    defer { sqlite_faults_disarm() }
    return await #expect(throws: DatabaseError.self) { try await body() }
  }

  /// After a failed transaction: the file holds `kept` and nothing of it,
  /// and the connection's next commit (of `next`) is written whole.
  func expectRecovered(
    _ queue: DatabaseQueue, at path: String, kept: Range<Int>, next: Range<Int>,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    #expect(try numbersInTheFile(path) == Array(kept), sourceLocation: sourceLocation)
    try insert(next, into: queue)
    #expect(
      try numbersInTheFile(path) == Array(kept) + Array(next), sourceLocation: sourceLocation)
  }

  /// Runs `body` with `failing` writes to `path` failing after `passing`
  /// of them; the disk is well again after those.
  @discardableResult
  func failingWrites<T>(
    to path: String, after passing: Int, failing: Int = 1, _ body: () throws -> T
  ) rethrows -> T {
    #expect(sqlite_faults_arm(path, Int32(passing), Int32(failing), EIO) == 0)
    defer { sqlite_faults_disarm() }
    return try body()
  }

  @Test("a commit whose run cannot be written fails, and the next commit is written whole")
  func failedCommitRun() throws {
    let (fixture, queue) = try tenRowsThroughVFS()
    let path = fixture.database
    let failedBefore = sqlite_faults_failed()

    // Only the run's first write fails: the commit frame's page, written
    // after it, would reach the file, so only the run's failure can fail
    // the commit.
    let error = failingWrites(to: path + "-wal", after: 0) {
      #expect(throws: DatabaseError.self) { try insert(10..<50, into: queue) }
    }
    #expect(error?.extendedResultCode == .SQLITE_IOERR_WRITE)
    #expect(sqlite_faults_failed() == failedBefore + 1)

    try expectRecovered(queue, at: path, kept: 0..<10, next: 50..<55)
  }

  @Test("a run that fails partway, after some of its writes reached the file, fails its commit")
  func runFailedPartway() throws {
    let (fixture, queue) = try tenRowsThroughVFS()
    let path = fixture.database
    let before = try #require(queue.writeWithoutTransaction { LogVFS.statistics($0) })

    // About 2 MiB of rows: more than one run of 1 MiB, so the first run is
    // written before the commit frame, and fails at its fourth write.
    let error = failingWrites(to: path + "-wal", after: 3) {
      #expect(throws: DatabaseError.self) { try insert(10..<2010, into: queue) }
    }
    #expect(error?.resultCode == .SQLITE_IOERR)
    let after = try #require(queue.writeWithoutTransaction { LogVFS.statistics($0) })
    #expect(after.writes_made - before.writes_made >= 4)
    // What reached the file of the failed run is past the last commit:
    // readers never see it.
    try expectRecovered(queue, at: path, kept: 0..<10, next: 3000..<3100)
  }

  @Test("a transaction whose spilled pages could not be written never commits, even if asked to")
  func failedSpillNeverCommits() throws {
    let (fixture, queue) = try tenRowsThroughVFS()
    let path = fixture.database

    // A cache of 10 pages: the transaction's pages go to the log long before
    // it commits. The first run to reach the file fails, then the disk is
    // well again. The statement that spilled it fails, and the transaction
    // with it (SQLite rolls back on an I/O error), and the commit its
    // author asks for anyway fails too: none of the rows reach readers, not
    // those whose frames were gathered before the failure, nor a hole where
    // the failed run's frames should have been.
    try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA cache_size = 10") }
    var failures = 0
    failingWrites(to: path + "-wal", after: 0) {
      #expect(throws: DatabaseError.self) {
        try queue.inTransaction { db in
          for n in 10..<1010 {
            do {
              try db.execute(
                sql: "INSERT INTO t (n, pad) VALUES (?, randomblob(2000))", arguments: [n])
            } catch {
              failures += 1
              break
            }
          }
          return .commit
        }
      }
    }
    #expect(failures > 0)
    try expectRecovered(queue, at: path, kept: 0..<10, next: 2000..<2005)
  }

  @Test(
    "after a run fails, the log refuses every call until its write lock goes, whatever the caller")
  func failureIsKeptUntilTheLockGoes() throws {
    let (fixture, queue) = try tenRowsThroughVFS()
    let path = fixture.database
    // The log's file as SQLite holds it, called directly: SQLite itself
    // stops a connection after an I/O error, so only a caller of the VFS's
    // own can show what the log does on its own.
    try queue.writeWithoutTransaction { db in
      var pointer: UnsafeMutablePointer<sqlite3_file>?
      #expect(
        sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_JOURNAL_POINTER, &pointer)
          == SQLITE_OK)
      let log = try #require(pointer)
      let refused = ResultCode.SQLITE_IOERR_WRITE.rawValue
      let methods = try #require(log.pointee.pMethods?.pointee)
      var size: sqlite3_int64 = 0
      #expect(methods.xFileSize(log, &size) == SQLITE_OK)
      // A frame that does not commit (its header's second word is 0),
      // past the log's end: gathered, not written.
      var frame = [UInt8](repeating: 0, count: 24 + 4096)
      frame[3] = 99
      #expect(methods.xWrite(log, frame, 24, size) == SQLITE_OK)
      #expect(methods.xWrite(log, Array(frame[24...]), 4096, size + 24) == SQLITE_OK)

      failingWrites(to: path + "-wal", after: 0) {
        #expect(methods.xSync(log, SQLITE_SYNC_NORMAL) == refused)
      }
      // The disk is well again; the log still refuses.
      #expect(methods.xWrite(log, frame, 24, size + 24 + 4096) == refused)
      var byte: UInt8 = 0
      #expect(methods.xRead(log, &byte, 1, 0) == refused)
      #expect(methods.xFileSize(log, &size) == refused)
    }
    // The next transaction takes the write lock, meets the failure, and
    // lets go of the lock; from then on the log is whole again.
    #expect(throws: DatabaseError.self) { try insert(10..<20, into: queue) }
    try expectRecovered(queue, at: path, kept: 0..<10, next: 20..<30)
  }

  @Test("the frames that pad a commit to a sector (no power-safe overwrite) reach the file")
  func paddedCommit() throws {
    let fixture = try Fixture()
    let path = fixture.database
    // psow=0: SQLite may not assume a write leaves the rest of its sector
    // alone, so with synchronous = FULL it pads each commit to a sector's
    // end by writing the commit frame again, after the commit frame itself.
    let padded = try DatabaseQueue(path: LogVFS.location(of: path) + "&psow=0")
    try padded.writeWithoutTransaction { db in
      try db.execute(sql: "PRAGMA journal_mode = WAL")
      try db.execute(sql: "PRAGMA synchronous = FULL")
      try db.execute(sql: "CREATE TABLE t (n INTEGER PRIMARY KEY, pad BLOB NOT NULL)")
    }
    let stack = padded.writeWithoutTransaction { LogVFS.stack($0) }
    #expect(stack == "\(LogVFS.name)/unix")
    try insert(0..<5, into: padded, bytes: 10)
    let truncated = try padded.writeWithoutTransaction { db in
      try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
    }
    #expect(truncated?[1] == 0)
    try insert(5..<6, into: padded, bytes: 10)
    // One page changed; more than one frame written.
    let checkpoint = try padded.writeWithoutTransaction { db in
      try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")
    }
    let frames: Int? = checkpoint?[1]
    #expect((frames ?? 0) > 1)
    try insert(6..<500, into: padded)
    #expect(try numbersInTheFile(path) == Array(0..<500))
  }

  @Test("a store told to use the VFS but opened without it says how to fix that")
  func uriFilenamesOff() throws {
    let fixture = try Fixture()
    let path = fixture.database
    let plain = try DatabaseQueue(path: path)
    let location = LogVFS.location(of: path)
    let error = #expect(throws: DatabaseError.self) {
      try plain.inDatabase { try LogVFS.check($0, opened: location, for: path) }
    }
    #expect(error?.resultCode == .SQLITE_CANTOPEN)
    #expect(error?.message?.contains("SQLITE_CONFIG_URI") == true)
    #expect(error?.message?.contains(location) == true)
    // A connection opened on the path itself was not asked for the VFS.
    try plain.inDatabase { try LogVFS.check($0, opened: path, for: path) }
    // One through it passes.
    let through = try DatabaseQueue(path: location)
    try through.inDatabase { try LogVFS.check($0, opened: location, for: path) }
  }

  @Test("an event the store cannot write fails naming the file and what to do; nothing of it stays")
  func eventOnAFullDisk() async throws {
    let (fixture, clock, parley, store) = try await openStore()
    _ = try await parley.handle(post("m1", "hello", at: clock.now))

    // The disk is full for the write of the next event's transaction.
    let error = await storeError(fixture, failingWith: ENOSPC) {
      _ = try await parley.handle(post("m2", "lost", at: clock.now))
    }
    #expect(error?.resultCode == .SQLITE_FULL)
    let message = error?.message ?? ""
    #expect(message.contains("could not write the event's changes to \(fixture.database)"))
    #expect(message.contains("the disk is full. Free space on it, then try again"))

    _ = try await parley.handle(post("m3", "after", at: clock.now))
    #expect(try await store.message("m2") == nil)
    #expect(try await store.message("m3") != nil)
    let context = try await store.context(
      for: post("m4", "next", at: clock.now), recentMessages: 5)
    #expect(context.recentMessages.map(\.id) == ["m1", "m3"])
    #expect(context.member?.history.posts == 2)
  }

  @Test("a save the disk fails names the record, the file and what to do")
  func saveOnAFailingDisk() async throws {
    let (fixture, clock, parley, store) = try await openStore()

    let error = await storeError(fixture, failingWith: EIO) {
      try await parley.addMember(
        Member(id: "cy", community: "c", displayName: "Cy", joinedAt: clock.now))
    }
    #expect(error?.resultCode == .SQLITE_IOERR)
    let message = error?.message ?? ""
    #expect(message.contains("could not write member 'cy' to \(fixture.database)"))
    #expect(message.contains("Check the disk, then try again"))
    #expect(try await store.member("cy") == nil)
  }

  @Test("timers whose claim the disk fails stay due, to be claimed once it is well")
  func timerClaimOnAFailingDisk() async throws {
    let (fixture, clock, parley, store) = try await openStore()
    // The fixture's `count` rule schedules a timer an hour on.
    _ = try await parley.handle(post("m1", "hello", at: clock.now))
    let due = clock.now.addingTimeInterval(61 * 60)

    let error = await storeError(fixture, failingWith: EIO) {
      _ = try await store.claimDueTimers(at: due, limit: 10)
    }
    #expect(error?.message?.contains("could not write the claim of due timers to") == true)
    #expect(try await store.claimDueTimers(at: due, limit: 10).map(\.name) == ["later"])
  }
}
