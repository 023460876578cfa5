import CParleyLock

/// Values by `String` key, spread over eight dictionaries with a lock each.
///
/// The in-memory store's members, threads and messages live in these, so two
/// workers reading and committing events of different threads and members
/// seldom wait for each other: under one lock for every table, two workers
/// found it taken about every other event (docs/performance.md). Eight
/// shards leave two workers few collisions while every shard's lock and
/// table stay in the cache; 64 made each lookup a likely cache miss.
///
/// The shard is chosen by an FNV-1a hash of the key's bytes, not by its
/// `hashValue`: the dictionary inside hashes the key again, and FNV over a
/// short id costs a fraction of a second SipHash. The dictionaries and
/// locks sit in memory of their own, not in an array of `Locked` objects,
/// so a lookup retains nothing to reach its shard.
final class LockedShards<Value>: @unchecked Sendable {
  private static var count: Int { 8 }
  // `tables[i]` is read and written only while `locks[i]` is held.
  private let tables: UnsafeMutablePointer<[String: Value]>
  private let locks: [OpaquePointer]

  init() {
    tables = .allocate(capacity: Self.count)
    tables.initialize(repeating: [:], count: Self.count)
    locks = (0..<Self.count).map { _ in
      guard let lock = pl_lock_create() else { fatalError("Parley: no memory for a lock") }
      return lock
    }
  }

  deinit {
    tables.deinitialize(count: Self.count)
    tables.deallocate()
    for lock in locks { pl_lock_destroy(lock) }
  }

  /// Runs `body` with the dictionary that holds `key`, under its lock.
  func withShard<Result>(
    of key: String, _ body: (inout [String: Value]) throws -> Result
  ) rethrows -> Result {
    let shard = Self.shard(of: key)
    pl_lock_acquire(locks[shard])
    defer { pl_lock_release(locks[shard]) }
    return try body(&tables[shard])
  }

  /// The value for `key`, read under its shard's lock.
  subscript(key: String) -> Value? {
    withShard(of: key) { $0[key] }
  }

  private static func shard(of key: String) -> Int {
    var hasher = FNV1a()
    hasher.mix(key)
    // FNV's low bits mix least: fold the high ones down.
    return Int(truncatingIfNeeded: (hasher.value ^ (hasher.value >> 32)) >> 7) & (count - 1)
  }
}
