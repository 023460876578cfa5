import Foundation
import GRDB
import Testing

@testable import ParleySQLite

@Suite("The writer's statements bound through SQLite's C API")
struct BoundStatementTests {
  @Test("text, empty text, NULL, numbers and booleans are stored as GRDB would store them")
  func values() throws {
    let db = try DatabaseQueue()
    try db.write { db in
      try db.execute(sql: "CREATE TABLE t (a TEXT, b TEXT, c TEXT, d INTEGER, e REAL, f INTEGER)")
      var insert = try BoundStatement(db, sql: "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)")
      insert.bind("Grüße, 東京 \u{1F600} and a NUL\u{0} inside")
      insert.bind("")
      insert.bind(nil as String?)
      insert.bind(-42)
      insert.bind(1.5)
      insert.bind(true)
      try insert.run()
      // The statement is reset and its bindings cleared: it runs again.
      insert = try BoundStatement(db, sql: "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)")
      insert.bind("second")
      try insert.run()

      let rows = try Row.fetchAll(db, sql: "SELECT * FROM t ORDER BY rowid")
      #expect(rows.count == 2)
      // Every byte, past the NUL too (reading text back stops at a NUL).
      let text = "Grüße, 東京 \u{1F600} and a NUL\u{0} inside"
      #expect(
        try Data.fetchOne(db, sql: "SELECT CAST(a AS BLOB) FROM t ORDER BY rowid")
          == Data(text.utf8))
      #expect(rows[0]["b"] == "")
      #expect((rows[0]["c"] as DatabaseValue).isNull)
      #expect(rows[0]["d"] == -42)
      #expect(rows[0]["e"] == 1.5)
      #expect(rows[0]["f"] == true)
      #expect(rows[1]["a"] == "second")
      #expect((rows[1]["b"] as DatabaseValue).isNull)
    }
  }

  @Test("a failing statement throws SQLite's error and can run again")
  func failure() throws {
    let db = try DatabaseQueue()
    try db.write { db in
      try db.execute(sql: "CREATE TABLE t (id TEXT PRIMARY KEY NOT NULL)")
      for expectedFailure in [false, true] {
        var insert = try BoundStatement(db, sql: "INSERT INTO t (id) VALUES (?)")
        insert.bind("same")
        if expectedFailure {
          let error = #expect(throws: DatabaseError.self) { try insert.run() }
          #expect(error?.resultCode == .SQLITE_CONSTRAINT)
          #expect(error?.message?.contains("UNIQUE") == true)
        } else {
          try insert.run()
        }
      }
      var other = try BoundStatement(db, sql: "INSERT INTO t (id) VALUES (?)")
      other.bind("other")
      try other.run()
      #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM t") == 2)
    }
  }
}
