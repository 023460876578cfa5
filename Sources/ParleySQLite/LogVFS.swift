import CParleyWAL
import Foundation
import GRDB
import GRDBSQLite

/// The SQLite VFS that hands the write-ahead log to the file in runs rather
/// than frame by frame (`parley_wal.c`): how the store opens its file
/// through it, and what it tells of a connection.
///
/// Only the moment the log's bytes reach the file changes: a transaction's
/// frames are all in the file before its commit returns, as before, so the
/// group commit's sync and other processes reading the file see what they
/// saw.
enum LogVFS {
  static let name = PL_WAL_VFS_NAME

  /// What GRDB opens for the database at `path`: a URI naming the VFS. When
  /// this SQLite takes no URIs (built without `SQLITE_USE_URI`), the path
  /// itself, and SQLite's own VFS writes the log.
  static func location(of path: String) -> String {
    guard sqlite3_compileoption_used("USE_URI") != 0, pl_wal_register() == SQLITE_OK else {
      return path
    }
    return "file:\(uriEncoded(absolute(path)))?vfs=\(name)"
  }

  /// `path` from the root: a relative one joined to the current folder,
  /// with `..` and links left for the kernel to follow, as SQLite's own
  /// would be (dropping `a/..` by its text could name another file when `a`
  /// is a link). No leading `//`, which a URI would read as a host.
  static func absolute(_ path: String) -> String {
    var absolute =
      path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    while absolute.hasPrefix("//") { absolute.removeFirst() }
    return absolute
  }

  /// `path` as a URI's path: every byte but letters, digits, `-._~/` as
  /// `%XX`, so `?`, `#`, `%` and spaces in a folder's name stay in the path.
  static func uriEncoded(_ path: String) -> String {
    let kept = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/".utf8)
    var encoded = ""
    for byte in path.utf8 {
      if kept.contains(byte) {
        encoded.unicodeScalars.append(Unicode.Scalar(byte))
      } else {
        encoded += String(format: "%%%02X", byte)
      }
    }
    return encoded
  }

  /// The VFSs under the connection's main file, outermost first:
  /// `parley-wal/unix` through this VFS, `unix` without it.
  static func stack(_ db: Database) -> String? {
    var name: UnsafeMutablePointer<CChar>?
    guard
      sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_VFSNAME, &name) == SQLITE_OK,
      let name
    else { return nil }
    defer { sqlite3_free(name) }
    return String(cString: name)
  }

  /// How the connection's log was written so far, or nil when it is not
  /// open through this VFS.
  static func statistics(_ db: Database) -> pl_wal_stats? {
    guard stack(db)?.hasPrefix(name + "/") == true else { return nil }
    var stats = pl_wal_stats()
    guard sqlite3_file_control(db.sqliteConnection, "main", PL_WAL_FCNTL_STATS, &stats) == SQLITE_OK
    else { return nil }
    return stats
  }

  /// Fails when a connection asked for this VFS but runs on another: the
  /// host turned URIs off (`sqlite3_config(SQLITE_CONFIG_URI, 0)`), and
  /// SQLite took the URI for a file's name.
  static func check(_ db: Database, opened location: String, for path: String) throws {
    guard location != path, stack(db)?.hasPrefix(name + "/") != true else { return }
    throw DatabaseError(
      resultCode: .SQLITE_CANTOPEN,
      message: """
        SQLite opened '\(location)' as a file's name, not as a URI: this process turned \
        SQLite's URI filenames off. Turn them back on (SQLITE_CONFIG_URI), or open the \
        store before changing SQLite's configuration
        """)
  }
}
