/// Where each decision the in-memory log keeps sits, by id, in two
/// generations instead of one dictionary trimmed entry by entry.
///
/// Removing a `String` key from a Swift dictionary shifts the keys after it
/// and hashes each again: a fifth of every commit once the log was full.
/// Here nothing is removed one by one. When the newer generation holds as
/// many ids as the log keeps, the older one is dropped whole and the newer
/// takes its place, so every id still in the log is in one of the two. An
/// id found may belong to a decision already trimmed: the caller checks its
/// position against what the log still holds.
struct DecisionIndex {
  private var newer = ShardedDictionary<String, Int>()
  private var older = ShardedDictionary<String, Int>()
  private var newerCount = 0
  /// How many decisions the log keeps: a generation's size.
  private let generation: Int

  init(keeping decisions: Int) {
    generation = max(1, decisions)
  }

  /// The position the decision was appended at, if it is indexed.
  subscript(id: String) -> Int? {
    newer[id] ?? older[id]
  }

  /// Indexes a new decision and returns the generation it pushed out, if
  /// any, so that the caller frees it after letting go of its lock.
  mutating func insert(_ id: String, at position: Int) -> ShardedDictionary<String, Int>? {
    var dropped: ShardedDictionary<String, Int>?
    if newerCount == generation {
      dropped = older
      older = newer
      newer = ShardedDictionary()
      newerCount = 0
    }
    newer[id] = position
    newerCount += 1
    return dropped
  }
}
