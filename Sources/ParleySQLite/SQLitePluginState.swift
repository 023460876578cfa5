import Foundation
import GRDB
import Parley

/// Plugin state backed by SQLite, answered from memory.
///
/// Rules call `state.get/incr` synchronously many times per event; paying a
/// transaction for each would dominate. Values are read from the file once,
/// kept in memory, and changes are written with the next group commit, so
/// they are durable when the event that made them has returned.
final class SQLitePluginState: PluginStateStore {
  private struct Entry {
    var value: TimerValue?
    var expires: Date?
  }

  private let pool: DatabasePool
  private let cache = Locked((entries: [StateKey: Entry](), dirty: Set<StateKey>()))

  init(pool: DatabasePool) { self.pool = pool }

  private func load(
    _ key: StateKey, into state: inout (entries: [StateKey: Entry], dirty: Set<StateKey>)
  )
    throws -> Entry
  {
    if let entry = state.entries[key] { return entry }
    let row = try pool.read { db in
      try Row.fetchOne(
        db,
        sql:
          "SELECT value, expires FROM pluginState WHERE community = ? AND plugin = ? AND key = ?",
        arguments: [key.community, key.plugin, key.key])
    }
    let entry = Entry(
      value: try row.map { try JSON.value(TimerValue.self, from: $0["value"]) },
      expires: (row?["expires"] as Double?).map(Date.init(seconds:)))
    state.entries[key] = entry
    return entry
  }

  func value(_ key: StateKey, at now: Date) throws -> TimerValue? {
    try cache.withLock { state in
      let entry = try load(key, into: &state)
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
    try cache.withLock { state in
      var entry = try load(key, into: &state)
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
        try db.execute(
          sql: """
            INSERT INTO pluginState (community, plugin, key, value, expires) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(community, plugin, key) DO UPDATE SET value = excluded.value, expires = excluded.expires
            """,
          arguments: [key.community, key.plugin, key.key, try JSON.text(value), expires?.seconds])
      } else {
        try db.execute(
          sql: "DELETE FROM pluginState WHERE community = ? AND plugin = ? AND key = ?",
          arguments: [key.community, key.plugin, key.key])
      }
    }
  }
}
