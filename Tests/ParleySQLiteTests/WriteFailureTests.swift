import GRDB
import Testing

@testable import ParleySQLite

/// What a host reads when a write fails: the file, the record, what was kept
/// and what to do, with SQLite's result code kept for code that switches on it.
@Suite("Write failures as a host reads them")
struct WriteFailureTests {
  func described(_ code: ResultCode) -> DatabaseError? {
    WriteFailure.describe(
      DatabaseError(resultCode: code, message: "disk I/O error"), writing: "member 'ada'",
      to: "/srv/parley.db") as? DatabaseError
  }

  @Test("each refusal names its cause and what to do, and keeps its code")
  func refusals() {
    let full = described(.SQLITE_FULL)
    #expect(full?.extendedResultCode == .SQLITE_FULL)
    #expect(
      full?.message
        == "could not write member 'ada' to /srv/parley.db: the disk is full. Free space on it, "
        + "then try again. Nothing of it was kept: the store is as it was before")
    let readOnly = described(.SQLITE_READONLY_DBMOVED)
    #expect(readOnly?.extendedResultCode == .SQLITE_READONLY_DBMOVED)
    #expect(readOnly?.message?.contains("Check the file's and its folder's permissions") == true)
    let write = described(.SQLITE_IOERR_WRITE)
    #expect(write?.message?.contains("the disk failed the write") == true)
    #expect(write?.message?.contains("Nothing of it was kept") == true)
  }

  @Test("a failed sync says the change may come back after a crash, not that it is gone")
  func failedSync() {
    let sync = described(.SQLITE_IOERR_FSYNC)
    #expect(sync?.extendedResultCode == .SQLITE_IOERR_FSYNC)
    #expect(sync?.message?.contains("Nothing of it was kept") == false)
    #expect(sync?.message?.contains("it may be there after a restart") == true)
  }

  @Test("errors that are not the disk's pass through as they were")
  func otherErrors() {
    let constraint = DatabaseError(resultCode: .SQLITE_CONSTRAINT_UNIQUE, message: "UNIQUE")
    let passed = WriteFailure.describe(constraint, writing: "x", to: "/p") as? DatabaseError
    #expect(passed?.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE)
    #expect(passed?.message == "UNIQUE")
    struct Other: Error {}
    #expect(WriteFailure.describe(Other(), writing: "x", to: "/p") is Other)
  }
}
