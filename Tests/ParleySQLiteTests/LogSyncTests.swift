import Foundation
import GRDB
import Parley
import Testing

@testable import ParleySQLite

/// The group commit writes a transaction, then leaves its sync to the
/// `LogSyncer` and writes the next: these pin that an event still returns
/// only once it is on disk, and that a failed sync is the event's error.
@Suite("The SQLite store's log sync")
struct LogSyncTests {
  /// A sync that waits until the test lets it go.
  final class Gate: Sendable {
    private let started = Locked(0)
    private let release = DispatchSemaphore(value: 0)

    var syncsStarted: Int { started.withLock { $0 } }

    func sync(_ path: String) throws {
      started.withLock { $0 += 1 }
      release.wait()
      try LogSyncer.syncLog(of: path)
    }

    func open() { release.signal() }
  }

  @Test("an event is written before its sync, and returns only after it")
  func returnsAfterSync() async throws {
    let fixture = try Fixture()
    let gate = Gate()
    let clock = ManualClock()
    let (parley, _) = try await fixture.open(clock: clock, syncLog: gate.sync)
    let returned = Locked(false)
    let handled = Task {
      let decision = try await parley.handle(post("m1", "hello", at: clock.now))
      returned.withLock { $0 = true }
      return decision
    }
    let deadline = ContinuousClock.now + .seconds(30)
    while gate.syncsStarted == 0 && ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(5))
    }
    #expect(gate.syncsStarted == 1, "the group commit never asked for a sync")
    // Committed, so another connection reads it, but not yet acknowledged.
    let reader = try DatabaseQueue(path: fixture.database)
    let written = try await reader.read { db in
      try Int.fetchOne(db, sql: "SELECT count(*) FROM decision") ?? 0
    }
    #expect(written == 1)
    try await Task.sleep(for: .milliseconds(50))
    #expect(returned.withLock { $0 } == false, "handle returned before its sync")
    gate.open()
    let decision = try await handled.value
    #expect(decision.verdict == .allow)
    #expect(returned.withLock { $0 })
  }

  @Test("a failed sync fails the event, naming the file and what to do")
  func failedSync() async throws {
    let fixture = try Fixture()
    let missing = fixture.folder.appendingPathComponent("gone/parley.db").path
    let clock = ManualClock()
    let (parley, store) = try await fixture.open(
      clock: clock, syncLog: { _ in try LogSyncer.syncLog(of: missing) })
    do {
      _ = try await parley.handle(post("m1", "hello", at: clock.now))
      Issue.record("the event returned although its sync failed")
    } catch let error as DatabaseError {
      #expect(error.extendedResultCode == .SQLITE_IOERR_FSYNC)
      let message = error.message ?? ""
      #expect(message.contains(missing), "\(message)")
      #expect(message.contains("check the disk"), "\(message)")
    }
    // The transaction itself was written: only its sync is in doubt.
    #expect(try await store.message("m1") != nil)
  }

  @Test("a sync finds the log, or with no log the database file")
  func syncsLogOrDatabase() throws {
    let fixture = try Fixture()
    let queue = try DatabaseQueue(path: fixture.database)
    try queue.write { try $0.execute(sql: "CREATE TABLE t (x); INSERT INTO t VALUES (1)") }
    // A queue keeps no log: only the database file is there.
    #expect(!FileManager.default.fileExists(atPath: fixture.database + "-wal"))
    try LogSyncer.syncLog(of: fixture.database)
    let pool = try DatabasePool(path: fixture.database)
    try pool.write { try $0.execute(sql: "INSERT INTO t VALUES (2)") }
    #expect(FileManager.default.fileExists(atPath: fixture.database + "-wal"))
    try LogSyncer.syncLog(of: fixture.database)
  }
}
