import CParleyWAL
import Foundation
import GRDB
import Parley
import Testing

@testable import ParleySQLite

/// The VFS that gathers the log's writes into runs (`parley_wal.c`) must
/// change only when bytes reach the file, never which bytes or where: these
/// pin that what a commit wrote is in the file for every other connection,
/// and that frames of a transaction that rolled back never land later over
/// another connection's.
@Suite("The SQLite store's log, written in runs")
struct LogVFSTests {
  struct RolledBack: Error {}

  /// How the connection's log was written so far.
  func statistics(_ queue: DatabaseQueue) throws -> pl_wal_stats {
    try #require(queue.writeWithoutTransaction { LogVFS.statistics($0) })
  }

  /// A connection to a new database at `path` through the VFS, in WAL mode,
  /// after running `statements`.
  func openThroughVFS(_ path: String, _ statements: String...) throws -> DatabaseQueue {
    let queue = try DatabaseQueue(path: LogVFS.location(of: path))
    try queue.writeWithoutTransaction { db in
      try db.execute(sql: "PRAGMA journal_mode = WAL")
      for statement in statements { try db.execute(sql: statement) }
    }
    return queue
  }

  @Test("the store opens its file through the VFS, even in a folder whose name a URI would misread")
  func storeUsesTheVFS() async throws {
    let fixture = try Fixture()
    let path = fixture.folder.appendingPathComponent("odd ?#%25 name é/parley.db").path
    let store = try SQLiteStore(path: path)
    let clock = ManualClock()
    let parley = try await Parley(plugins: fixture.plugins, store: store, clock: clock)
    try await parley.createCommunity(
      Community(id: "c", name: "C", plugins: [EnabledPlugin(name: "basic")]))
    try await parley.addMember(
      Member(id: "ada", community: "c", displayName: "Ada", joinedAt: clock.now))
    try await parley.openThread(DialogueThread(id: "t", community: "c", title: "T", opener: "ada"))
    for i in 0..<200 { _ = try await parley.handle(post("m\(i)", "hello \(i)", at: clock.now)) }

    #expect(FileManager.default.fileExists(atPath: path))
    #expect(FileManager.default.fileExists(atPath: path + "-wal"))
    let (stack, stats) = try await store.pool.write { db in
      (LogVFS.stack(db), LogVFS.statistics(db))
    }
    #expect(stack == "\(LogVFS.name)/unix")
    let written = try #require(stats)
    // Two writes per frame asked for (header, page); far fewer made.
    #expect(written.writes_asked > 4 * written.writes_made)
    #expect(written.commit_runs > 0)
    // Another connection, on SQLite's own VFS, reads every decision.
    let plain = try DatabaseQueue(path: path)
    let decisions = try await plain.read {
      try Int.fetchOne($0, sql: "SELECT count(*) FROM decision")
    }
    #expect(decisions == 200)
  }

  @Test("a commit's frames are in the file when the commit returns, written by the commit frame")
  func commitIsInTheFile() throws {
    let fixture = try Fixture()
    let path = fixture.database
    // No sync at the commit: nothing but the commit frame's write flushes.
    let gathered = try openThroughVFS(
      path, "PRAGMA synchronous = OFF",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, pad TEXT NOT NULL)")
    let before = try statistics(gathered)
    try gathered.write { db in
      for i in 0..<2000 {
        try db.execute(
          sql: "INSERT INTO t (id, pad) VALUES (?, ?)",
          arguments: [i, String(repeating: "x", count: 200)])
      }
    }
    let after = try statistics(gathered)
    #expect(after.commit_runs == before.commit_runs + 1)
    #expect(after.writes_asked - before.writes_asked > 100)
    #expect((after.writes_made - before.writes_made) * 4 < after.writes_asked - before.writes_asked)

    // Read while the writing connection stays open: from the file itself.
    let plain = try DatabaseQueue(path: path)
    #expect(try plain.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM t") } == 2000)
    #expect(try plain.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
  }

  @Test("frames of a transaction that rolled back never land over another writer's")
  func rolledBackFramesStayOut() throws {
    let fixture = try Fixture()
    let path = fixture.database
    // A cache too small for the transaction below: SQLite writes its pages
    // to the log before it commits (or, here, rolls back).
    let gathered = try openThroughVFS(
      path, "PRAGMA cache_size = 10",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, who TEXT NOT NULL, pad BLOB NOT NULL)")
    let before = try statistics(gathered)
    #expect(throws: RolledBack.self) {
      try gathered.write { db in
        for i in 0..<300 {
          try db.execute(
            sql: "INSERT INTO t (id, who, pad) VALUES (?, 'rolled back', zeroblob(2000))",
            arguments: [i])
        }
        throw RolledBack()
      }
    }
    #expect(try statistics(gathered).writes_asked - before.writes_asked > 100)

    // Another writer takes the log from where that transaction began.
    let other = try DatabaseQueue(path: path)
    try other.write { db in
      for i in 1000..<1050 {
        try db.execute(
          sql: "INSERT INTO t (id, who, pad) VALUES (?, 'other', randomblob(100))", arguments: [i])
      }
    }
    try gathered.write { db in
      for i in 2000..<2050 {
        try db.execute(
          sql: "INSERT INTO t (id, who, pad) VALUES (?, 'gathered', randomblob(100))",
          arguments: [i])
      }
    }

    let reader = try DatabaseQueue(path: path)
    let counts = try reader.read { db in
      try Dictionary(
        uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT who, count(*) AS n FROM t GROUP BY who")
          .map { (row: Row) -> (String, Int) in (row["who"], row["n"]) })
    }
    #expect(counts == ["other": 50, "gathered": 50])
    #expect(try reader.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
  }

  @Test("a commit that rewrote its own frames is whole in the files a crash would leave")
  func rewrittenCommitSurvivesACrash() throws {
    let fixture = try Fixture()
    let path = fixture.database
    let gathered = try DatabaseQueue(path: LogVFS.location(of: path))
    try gathered.writeWithoutTransaction { db in
      // Exclusive locking: the connection never lets go of the log's write
      // lock, so only the commit itself can have written the commit frame.
      try db.execute(sql: "PRAGMA locking_mode = EXCLUSIVE")
      try db.execute(sql: "PRAGMA journal_mode = WAL")
      try db.execute(sql: "PRAGMA synchronous = NORMAL")
      try db.execute(sql: "PRAGMA cache_size = 10")
      try db.execute(
        sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, pad BLOB NOT NULL)")
    }
    // Rows spilled to the log, then changed again in the same transaction:
    // SQLite overwrites their frames and, at the commit, rewrites the
    // checksums of every frame from the first overwritten one, the commit
    // frame's last.
    try gathered.write { db in
      for i in 0..<300 {
        try db.execute(
          sql: "INSERT INTO t (id, n, pad) VALUES (?, 0, zeroblob(2000))", arguments: [i])
      }
      try db.execute(sql: "UPDATE t SET n = 1")
    }

    // The files as they are while the writer still runs, opened elsewhere:
    // SQLite recovers the log from what is in the file.
    let copy = fixture.folder.appendingPathComponent("copy.db").path
    try FileManager.default.copyItem(atPath: path, toPath: copy)
    try FileManager.default.copyItem(atPath: path + "-wal", toPath: copy + "-wal")
    let recovered = try DatabaseQueue(path: copy)
    let changed = try recovered.read {
      try Int.fetchOne($0, sql: "SELECT count(*) FROM t WHERE n = 1")
    }
    #expect(changed == 300)
    #expect(try recovered.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
  }

  @Test("a path becomes a URI's path from the root, with only unreserved bytes left as they are")
  func uriEncoding() {
    #expect(LogVFS.uriEncoded("/tmp/a b/c?d#e%f/é.db") == "/tmp/a%20b/c%3Fd%23e%25f/%C3%A9.db")
    #expect(LogVFS.uriEncoded("/plain/path-1_2.~db") == "/plain/path-1_2.~db")
    // Links and `..` are the kernel's to follow, not the text's to drop.
    #expect(LogVFS.absolute("//srv/link/../parley.db") == "/srv/link/../parley.db")
    #expect(
      LogVFS.absolute("data/parley.db")
        == FileManager.default.currentDirectoryPath + "/data/parley.db")
  }
}
