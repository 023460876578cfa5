/// A dictionary kept as 64 smaller ones, chosen by the key's hash.
///
/// A Swift dictionary grows by rehashing every entry at once: at 100,000
/// messages that is a pause of milliseconds, and every event queued behind
/// it waits (it showed as a p99 of tens of milliseconds). Split in 64, each
/// growth moves a 64th of the entries.
struct ShardedDictionary<Key: Hashable, Value> {
  private var shards = Array(repeating: [Key: Value](), count: 64)

  private func shard(_ key: Key) -> Int { key.hashValue & 63 }

  subscript(key: Key) -> Value? {
    get { shards[shard(key)][key] }
    set { shards[shard(key)][key] = newValue }
  }

  /// Sets the value and returns the one it replaced, if any.
  @discardableResult
  mutating func updateValue(_ value: Value, forKey key: Key) -> Value? {
    shards[shard(key)].updateValue(value, forKey: key)
  }
}
