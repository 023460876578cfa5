import DequeModule

/// Where each decision the in-memory log keeps sits, by id, built when an
/// id is looked up rather than on every commit.
///
/// Only appeals look decisions up by id, and most events are not appeals:
/// indexing each decision as it was committed (a `String` hashed into a
/// large dictionary) was 4 % of a light event. Now a lookup first indexes
/// the decisions appended since the last one, so the work is the same when
/// appeals are frequent and none when they are not; a lookup after a long
/// quiet indexes at most the log's bound at once.
///
/// The index keeps two generations instead of one dictionary trimmed entry
/// by entry: removing a `String` key from a Swift dictionary shifts the keys
/// after it and hashes each again. When the newer generation holds as many
/// ids as the log keeps, the older one is dropped whole and the newer takes
/// its place, so every id still in the log is in one of the two. An id
/// found may belong to a decision already trimmed: ``position(of:in:trimmed:)``
/// checks against what the log still holds.
struct DecisionIndex {
  private var newer = ShardedDictionary<String, Int>()
  private var older = ShardedDictionary<String, Int>()
  private var newerCount = 0
  /// How many decisions the log keeps: a generation's size.
  private let generation: Int
  /// The position (counted from the first decision ever kept) up to which
  /// decisions are indexed.
  private var indexedThrough = 0

  init(keeping decisions: Int) {
    generation = max(1, decisions)
  }

  /// Where the decision `id` is in `log`, whose first entry was the
  /// `trimmed`th decision ever kept; nil if the log no longer holds it.
  mutating func position(of id: String, in log: Deque<Decision>, trimmed: Int) -> Int? {
    catchUp(with: log, trimmed: trimmed)
    guard let position = newer[id] ?? older[id], position >= trimmed else { return nil }
    return position - trimmed
  }

  /// Indexes every decision appended since the last lookup that the log
  /// still holds.
  private mutating func catchUp(with log: Deque<Decision>, trimmed: Int) {
    let end = trimmed + log.count
    for position in max(indexedThrough, trimmed)..<max(end, indexedThrough) {
      if newerCount == generation {
        older = newer
        newer = ShardedDictionary()
        newerCount = 0
      }
      newer[log[position - trimmed].id] = position
      newerCount += 1
    }
    indexedThrough = max(indexedThrough, end)
  }
}
