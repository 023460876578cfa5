import CParleyLock

/// A 64-bit word read and added to without a lock (``CParleyLock``'s
/// `pl_word`): for what every event touches once and two workers would
/// otherwise meet on a lock for, the decision ids' counter and a manual
/// clock's time.
package final class AtomicWord: @unchecked Sendable {
  private let word: OpaquePointer

  package init(_ value: UInt64) {
    guard let word = pl_word_create(value) else { fatalError("Parley: no memory for a word") }
    self.word = word
  }

  deinit { pl_word_destroy(word) }

  /// The value the last ``store(_:)`` or ``add(_:)`` left.
  package func load() -> UInt64 { pl_word_load(word) }

  package func store(_ value: UInt64) { pl_word_store(word, value) }

  /// Adds `amount`, wrapping, and returns the new value.
  package func add(_ amount: UInt64) -> UInt64 { pl_word_add(word, amount) }
}
