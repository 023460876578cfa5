import Foundation
import GRDB
import Parley

/// Plugin state backed by SQLite, answered from memory.
///
/// Rules call `state.get/incr` synchronously, from a worker, many times per
/// event. Reading the file there would block a Swift concurrency thread on
/// the database's reader pool, whose async users need those same threads:
/// a deadlock once every thread waits. So the whole table (without expired
/// keys) is read once when the store opens, answers come from memory, and
/// changes are written with the next group commit: durable when the event
/// that made them has returned.
final class SQLitePluginState: PluginStateStore {
  private struct Entry {
    var value: TimerValue?
    var expires: Date?
  }

  private let cache = Locked((entries: [StateKey: Entry](), dirty: Set<StateKey>()))

  /// Loads every live key. Called once, synchronously, when the store opens.
  init(pool: DatabasePool, now: Date = Date()) throws {
    let rows = try pool.read { db in
      try Row.fetchAll(
        db, sql: "SELECT * FROM pluginState WHERE expires IS NULL OR expires > ?",
        arguments: [now.seconds])
    }
    var entries: [StateKey: Entry] = [:]
    for row in rows {
      let key = StateKey(community: row["community"], plugin: row["plugin"], key: row["key"])
      entries[key] = Entry(
        value: try JSON.value(TimerValue.self, from: row["value"]),
        expires: (row["expires"] as Double?).map(Date.init(seconds:)))
    }
    cache.withLock { $0.entries = entries }
  }

  private func load(
    _ key: StateKey, into state: inout (entries: [StateKey: Entry], dirty: Set<StateKey>)
  ) -> Entry {
    state.entries[key] ?? Entry(value: nil, expires: nil)
  }

  func value(_ key: StateKey, at now: Date) throws -> TimerValue? {
    cache.withLock { state in
      let entry = load(key, into: &state)
      if let expires = entry.expires, expires <= now { return nil }
      return entry.value
    }
  }

  func set(_ key: StateKey, to value: TimerValue?, expires: Date?) throws {
    cache.withLock { state in
      state.entries[key] = Entry(value: value, expires: value == nil ? nil : expires)
      state.dirty.insert(key)
    }
  }

  func increment(_ key: StateKey, by: Int64, expires: Date?, at now: Date) throws -> Int64 {
    cache.withLock { state in
      var entry = load(key, into: &state)
      if let end = entry.expires, end <= now { entry = Entry(value: nil, expires: nil) }
      let old: Int64 =
        switch entry.value {
        case .integer(let value)?: value
        case .number(let value)?: Int64(exactly: value.rounded(.towardZero)) ?? 0
        default: 0
        }
      let new = old &+ by
      state.entries[key] = Entry(
        value: .integer(new), expires: entry.value == nil ? expires : entry.expires)
      state.dirty.insert(key)
      return new
    }
  }

  /// The changed values since the last call, to write with the next commit.
  func takeDirty() -> [(StateKey, TimerValue?, Date?)] {
    cache.withLock { state in
      defer { state.dirty.removeAll() }
      return state.dirty.map { key in (key, state.entries[key]?.value, state.entries[key]?.expires)
      }
    }
  }

  static func write(_ dirty: [(StateKey, TimerValue?, Date?)], _ db: Database) throws {
    for (key, value, expires) in dirty {
      if let value {
        try db.executeCached(
          sql: """
            INSERT INTO pluginState (community, plugin, key, value, expires) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(community, plugin, key) DO UPDATE SET value = excluded.value, expires = excluded.expires
            """,
          arguments: [key.community, key.plugin, key.key, try JSON.text(value), expires?.seconds])
      } else {
        try db.executeCached(
          sql: "DELETE FROM pluginState WHERE community = ? AND plugin = ? AND key = ?",
          arguments: [key.community, key.plugin, key.key])
      }
    }
  }
}
