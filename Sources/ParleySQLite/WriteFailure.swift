import GRDB

/// A write the disk refused, told the way a host's operator needs it:
/// SQLite's own message ("database or disk is full - while executing
/// `COMMIT TRANSACTION`") names neither the file nor what was lost, nor what
/// to do next.
enum WriteFailure {
  /// `error` with the file, what was kept of `what` (nothing: the
  /// transaction rolled back) and what to do, when the disk or the file
  /// refused the write; any other error as it was. The result codes stay
  /// SQLite's, so a host can still tell a full disk from a failing one.
  static func describe(_ error: any Error, writing what: String, to path: String) -> any Error {
    guard let error = error as? DatabaseError else { return error }
    let advice: String
    switch error.resultCode {
    case .SQLITE_FULL:
      advice = "the disk is full. Free space on it"
    case .SQLITE_IOERR:
      advice = "the disk failed the write (\(error.extendedResultCode)). Check the disk"
    case .SQLITE_READONLY:
      advice = "the file can't be written. Check the file's and its folder's permissions"
    default:
      return error
    }
    // A failed sync is the one failure whose bytes may be in the log: the
    // store goes on without them, and the next write overwrites them, but
    // a crash before that would let SQLite's recovery find them.
    let kept =
      error.extendedResultCode == .SQLITE_IOERR_FSYNC
      ? "The store went on without it, but if the process stops before its next write, "
        + "it may be there after a restart"
      : "Nothing of it was kept: the store is as it was before"
    return DatabaseError(
      resultCode: error.extendedResultCode,
      message: "could not write \(what) to \(path): \(advice), then try again. \(kept)",
      sql: error.sql)
  }
}
