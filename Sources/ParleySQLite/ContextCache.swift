import Foundation
import GRDB
import Parley

/// What event contexts read (communities, members, threads and each
/// thread's latest messages), kept in memory in front of the SQLite file.
///
/// The engine's workers decide events back to back, and the next event of a
/// thread must see the changes of the one before while they are still being
/// written. So a commit changes the cache at once and queues its rows for
/// the group commit; its caller hears back once they are durable.
///
/// A row missing from the cache is read from the file, and the changes not
/// yet written are laid over it. The file records how far this store's
/// writes have reached (the `writeMark` table, in the same transaction as
/// the rows), so the read knows which changes it already holds: none is
/// counted twice or lost, whether the row was never read or was dropped
/// because another process wrote to the file or the cache outgrew its bound.
final class ContextCache: Sendable {
  /// Changes in the cache that the file may not hold yet.
  fileprivate struct Unwritten {
    var seq: Int
    var changes: Changes
  }

  /// A thread's latest messages, oldest first: every one of the thread's
  /// messages when there are fewer than `limit`, else at least `limit`. A
  /// limit of `Int.max` is the thread's whole list (a thread the store
  /// opened with no messages in the file).
  fileprivate struct Recent {
    var messages: [Message]
    var limit: Int

    /// How long a whole list grows before it keeps only its latest half.
    static let wholeBound = 128

    /// Bounds the list in bulk, not one message at a time: past twice its
    /// limit it keeps its latest `limit`; a whole list, past
    /// ``wholeBound``, becomes one of the latest `wholeBound / 2`.
    mutating func trim() {
      if limit == .max {
        guard messages.count > Self.wholeBound else { return }
        limit = Self.wholeBound / 2
      } else if messages.count <= 2 * limit {
        return
      }
      messages.removeFirst(messages.count - limit)
    }
  }

  fileprivate struct State {
    var communities: [String: Community] = [:]
    var members: [String: Member] = [:]
    var threads: [String: DialogueThread] = [:]
    var recent: [String: Recent] = [:]
    /// Rows held, counting each message: bounded by `rowLimit`.
    var rows = 0
    var unwritten: [Unwritten] = []
    var lastSeq = 0
    /// The file holds every change up to this one.
    var writtenThrough = 0
    /// Reads of the file in progress, each with `writtenThrough` when it
    /// began (the file it reads holds at least that much): `unwritten`
    /// keeps what they may still need.
    var loads: [Int: Int] = [:]
    var nextLoad = 0
    /// Raised whenever rows are dropped: a read that began before must not
    /// put back what it found.
    var generation = 0
    /// The writer connection's `PRAGMA data_version` when last looked at,
    /// and when: it changes when another connection commits.
    var dataVersion: Int?
    var checkedAt: ContinuousClock.Instant?
    /// Saves straight to the file: how many were stamped in their
    /// transactions, and the latest of them (by stamp) that has ended.
    var savesStamped = 0
    var savesEnded = 0

    mutating func dropAll() {
      communities = [:]
      members = [:]
      threads = [:]
      recent = [:]
      rows = 0
      generation += 1
    }

    /// Starts a read of the file; returns its token for ``endLoad(_:)``.
    mutating func beginLoad() -> Int {
      nextLoad += 1
      loads[nextLoad] = writtenThrough
      return nextLoad
    }

    mutating func endLoad(_ token: Int) {
      loads[token] = nil
      pruneWritten()
    }

    mutating func pruneWritten() {
      let needed = loads.values.min() ?? writtenThrough
      guard let first = unwritten.first, first.seq <= needed else { return }
      unwritten.removeFirst(unwritten.prefix { $0.seq <= needed }.count)
    }
  }

  private let state = Locked(State())
  private let pool: DatabasePool
  /// This store's row in `writeMark`: each open store counts its own writes.
  let storeID = UUID().uuidString
  /// Rows (members, threads, communities and messages) held before the
  /// cache starts again from empty.
  let rowLimit: Int
  /// How long the cache trusts itself without asking the file whether
  /// another process wrote to it. Every group commit asks, so this only
  /// matters after a quiet spell.
  let trustFor: Duration
  /// What ``SQLiteStore`` passes for `trustFor`.
  static let defaultTrust = Duration.milliseconds(500)

  init(pool: DatabasePool, rowLimit: Int, trustFor: Duration) {
    self.pool = pool
    self.rowLimit = max(1, rowLimit)
    self.trustFor = trustFor
  }

  // MARK: Reading

  func community(_ id: String) throws -> Community? { try cached(CommunityRow(id: id)) }

  func member(_ id: String) throws -> Member? { try cached(MemberRow(id: id)) }

  func thread(_ id: String) throws -> DialogueThread? { try cached(ThreadRow(id: id)) }

  /// A thread's latest `limit` messages, oldest first.
  func recent(_ thread: String, limit: Int) throws -> ArraySlice<Message> {
    (try cached(RecentRow(thread: thread, limit: limit)) ?? []).suffix(limit)
  }

  /// A message by id: from the changes not yet written, else from the file.
  func message(_ id: String) throws -> Message? {
    let (token, pending) = state.withLock { ($0.beginLoad(), !$0.unwritten.isEmpty) }
    defer { state.withLock { $0.endLoad(token) } }
    guard pending else { return try pool.read { try Rows.message($0, id: id) } }
    let (stored, written) = try pool.read { db in
      (try Rows.message(db, id: id), try Self.mark(db, storeID))
    }
    return state.withLock { state in
      var found = stored
      for entry in state.unwritten where entry.seq > written {
        if let edited = entry.changes.messages.last(where: { $0.id == id }) { found = edited }
      }
      return found
    }
  }

  /// Reads what a post's context needs and the cache lacks (its thread, its
  /// author, the thread's latest messages) in one read transaction, where
  /// looking each up would take one each.
  func prefetch(thread: String, member: String, recentMessages limit: Int) throws {
    let threadRow = ThreadRow(id: thread)
    let memberRow = MemberRow(id: member)
    let recentRow = RecentRow(thread: thread, limit: limit)
    let (missing, token, generation) = state.withLock { state -> ((Bool, Bool, Bool), Int, Int) in
      let missing = (
        threadRow.hit(state) == nil, memberRow.hit(state) == nil, recentRow.hit(state) == nil
      )
      guard missing.0 || missing.1 || missing.2 else { return (missing, 0, 0) }
      return (missing, state.beginLoad(), state.generation)
    }
    guard missing.0 || missing.1 || missing.2 else { return }
    defer { state.withLock { $0.endLoad(token) } }
    let (threadFound, memberFound, recentFound, written) = try pool.read { db in
      (
        missing.0 ? try threadRow.fetch(db) : nil, missing.1 ? try memberRow.fetch(db) : nil,
        missing.2 ? try recentRow.fetch(db) : nil, try Self.mark(db, storeID)
      )
    }
    state.withLock { state in
      if missing.0 { _ = settle(threadRow, threadFound, written, generation, &state) }
      if missing.1 { _ = settle(memberRow, memberFound, written, generation, &state) }
      if missing.2 { _ = settle(recentRow, recentFound, written, generation, &state) }
    }
  }

  /// The row in the cache; else read from the file, with the unwritten
  /// changes laid over it, and kept.
  private func cached<Row: CachedRow>(_ row: Row) throws -> Row.Value? {
    // One lock for a hit: the path nearly every event takes.
    let (found, token, generation) = state.withLock { state -> (Row.Value?, Int, Int) in
      if let found = row.hit(state) { return (found, 0, 0) }
      return (nil, state.beginLoad(), state.generation)
    }
    if let found { return found }
    defer { state.withLock { $0.endLoad(token) } }
    let (stored, written) = try pool.read { db in (try row.fetch(db), try Self.mark(db, storeID)) }
    return state.withLock { settle(row, stored, written, generation, &$0) }
  }

  /// What a read of the file found, brought up to date: the changes the
  /// file did not hold yet (numbered after `written`) laid over it.
  private func settle<Row: CachedRow>(
    _ row: Row, _ stored: Row.Value?, _ written: Int, _ generation: Int, _ state: inout State
  ) -> Row.Value? {
    if let kept = row.hit(state) { return kept }
    guard var value = stored else { return nil }
    for entry in state.unwritten where entry.seq > written { row.overlay(&value, entry.changes) }
    // Rows dropped meanwhile (another process wrote, or a save): what was
    // read may be older than the file now is, so it is not kept.
    if state.generation == generation {
      let rows = row.count(value)
      if state.rows + rows > rowLimit { state.dropAll() }
      state.rows += rows
      row.keep(value, in: &state)
    }
    return value
  }

  /// How far this store's writes have reached in the file: read in the
  /// same transaction as rows, it says which unwritten changes they hold.
  static func mark(_ db: Database, _ store: String) throws -> Int {
    try Int.fetchOne(
      db.cachedStatement(sql: "SELECT seq FROM writeMark WHERE store = ?"), arguments: [store]) ?? 0
  }

  /// Saves a message, new or edited, in a thread's list, which then keeps
  /// its latest `limit` (trimmed in bulk, not one by one).
  fileprivate static func keep(_ message: Message, in messages: inout [Message]) {
    if let i = messages.lastIndex(where: { $0.id == message.id }) {
      messages[i] = message
    } else {
      messages.append(message)
    }
  }

  // MARK: Writing

  /// Lays an event's changes over the cache and hands them, numbered in
  /// order, to `enqueue` (called under the cache's lock, so the writer
  /// receives them in that order).
  func apply(_ changes: Changes, enqueue: (Int) -> Void) {
    state.withLock { state in
      state.lastSeq += 1
      for message in changes.messages {
        guard var recent = state.recent.removeValue(forKey: message.thread) else { continue }
        let before = recent.messages.count
        Self.keep(message, in: &recent.messages)
        recent.trim()
        state.rows += recent.messages.count - before
        state.recent[message.thread] = recent
      }
      for change in changes.members { change.apply(to: &state.members[change.member]) }
      for change in changes.threads { change.apply(to: &state.threads[change.thread]) }
      state.unwritten.append(Unwritten(seq: state.lastSeq, changes: changes))
      // New messages count too; what was dropped is read back with these
      // changes laid over it.
      if state.rows > rowLimit { state.dropAll() }
      enqueue(state.lastSeq)
    }
  }

  /// The file now holds every change up to `seq`.
  func written(through seq: Int) {
    state.withLock { state in
      state.writtenThrough = max(state.writtenThrough, seq)
      state.pruneWritten()
    }
  }

  /// These changes will never be written (their transaction failed): they
  /// leave the cache, which starts again from the file.
  func failed(_ seqs: Set<Int>) {
    state.withLock { state in
      state.unwritten.removeAll { seqs.contains($0.seq) }
      state.dropAll()
    }
  }

  // MARK: Saving straight to the file

  /// A save of a community, member or thread straight to the file: begun
  /// with ``beginSave()``, stamped inside its transaction with
  /// ``stamp(_:)``, and ended with one of the `saved` methods or with
  /// ``abandon(_:)``.
  struct Save {
    fileprivate let token: Int
    fileprivate let generation: Int
  }

  /// Where a save's transaction stands among the file's writes.
  struct Stamp {
    /// The file's write mark: the changes it holds.
    fileprivate let written: Int
    /// The latest change in the cache: a member saved holds the changes up
    /// to this one (see ``unwrittenAdditions(to:_:)``).
    fileprivate let through: Int
    /// The save's place among this store's saves. The writer runs their
    /// transactions one at a time, but their callers resume on threads of
    /// their own, so their `saved` calls may come in either order.
    fileprivate let order: Int
  }

  /// Call before the save's transaction: the changes it must lay over what
  /// it saved stay queued until it ends.
  func beginSave() -> Save {
    state.withLock { Save(token: $0.beginLoad(), generation: $0.generation) }
  }

  /// Call inside the save's transaction, before its writes.
  func stamp(_ db: Database) throws -> Stamp {
    let written = try Self.mark(db, storeID)
    return state.withLock { state in
      state.savesStamped += 1
      return Stamp(written: written, through: state.lastSeq, order: state.savesStamped)
    }
  }

  /// What the changes the file does not hold yet, up to the stamp, add to
  /// a member's counters: the writer will add them to the file.
  func unwrittenAdditions(to member: String, _ stamp: Stamp) -> MemberChange {
    state.withLock { state in
      var sum = MemberChange(member: member)
      for entry in state.unwritten where entry.seq > stamp.written && entry.seq <= stamp.through {
        for change in entry.changes.members where change.member == member {
          sum.history.posts += change.history.posts
          sum.history.repliesToOthers += change.history.repliesToOthers
          sum.history.repliesReceived += change.history.repliesReceived
          sum.history.questionsAsked += change.history.questionsAsked
          sum.history.questionsAnswered += change.history.questionsAnswered
          sum.score += change.score
        }
      }
      return sum
    }
  }

  /// The save's transaction failed: the file and the cache are unchanged.
  func abandon(_ save: Save) {
    state.withLock { $0.endLoad(save.token) }
  }

  /// Keeps what was saved in place of the cached row.
  func saved(_ community: Community, _ save: Save, _ stamp: Stamp) {
    end(save, stamp) { keep, state in
      replace(CommunityRow(id: community.id), with: community, after: stamp.written, keep, &state)
    }
  }

  /// The member holds the changes up to the stamp (see
  /// ``unwrittenAdditions(to:_:)``): only later ones are laid over it.
  func saved(_ member: Member, _ save: Save, _ stamp: Stamp) {
    end(save, stamp) { keep, state in
      replace(MemberRow(id: member.id), with: member, after: stamp.through, keep, &state)
    }
  }

  /// `hasMessages`: whether the file held any message of the thread. A
  /// thread with none (one the host has just opened) is kept with its whole
  /// message list, so its first event reads nothing from the file.
  func saved(_ thread: DialogueThread, hasMessages: Bool, _ save: Save, _ stamp: Stamp) {
    end(save, stamp) { keep, state in
      replace(ThreadRow(id: thread.id), with: thread, after: stamp.written, keep, &state)
      replace(
        RecentRow(thread: thread.id, limit: .max), with: [], after: stamp.written,
        keep && !hasMessages, &state)
    }
  }

  /// Ends a save: `body` replaces its rows, keeping them only if nothing
  /// newer has been learned since. Rows were dropped since the save began
  /// (another process wrote), so the file may hold more than the save
  /// knows; or a later save has ended first, and its rows are newer.
  private func end(_ save: Save, _ stamp: Stamp, _ body: (Bool, inout State) -> Void) {
    state.withLock { state in
      let keep = state.generation == save.generation && stamp.order > state.savesEnded
      state.savesEnded = max(state.savesEnded, stamp.order)
      body(keep, &state)
      // Not kept, a read that began before the save must not put back the
      // older row either. Kept, such a read finds it when it ends
      // (``settle``) and answers with it.
      if !keep { state.generation += 1 }
      state.endLoad(save.token)
    }
  }

  /// Drops the cached row and, if `keep`, puts in its place what a read of
  /// the file would find once the writer has caught up: the saved value
  /// with the changes after `seq` laid over it.
  private func replace<Row: CachedRow>(
    _ row: Row, with saved: Row.Value, after seq: Int, _ keep: Bool, _ state: inout State
  ) {
    row.drop(from: &state)
    guard keep else { return }
    var value = saved
    for entry in state.unwritten where entry.seq > seq {
      row.overlay(&value, entry.changes)
    }
    let rows = row.count(value)
    if state.rows + rows > rowLimit { state.dropAll() }
    state.rows += rows
    row.keep(value, in: &state)
  }

  // MARK: Other writers

  /// Whether the cache has gone a while without asking the file.
  var needsCheck: Bool {
    state.withLock { state in
      state.checkedAt.map { ContinuousClock.now - $0 >= trustFor } ?? true
    }
  }

  /// Drops every row if another connection (another process's store, the
  /// CLI) committed to the file since the last look. Called on the writer
  /// connection, whose own commits do not count.
  func checkForOtherWriters(_ db: Database) throws {
    let version = try Int.fetchOne(db.cachedStatement(sql: "PRAGMA data_version"))
    state.withLock { state in
      if state.dataVersion != nil, state.dataVersion != version { state.dropAll() }
      state.dataVersion = version
      state.checkedAt = ContinuousClock.now
    }
  }
}

/// One kind of row the cache keeps: how to find it there, read it from the
/// file, bring it up to date with a change set and keep it.
private protocol CachedRow {
  associatedtype Value
  func hit(_ state: ContextCache.State) -> Value?
  func fetch(_ db: Database) throws -> Value?
  func overlay(_ value: inout Value, _ changes: Changes)
  func keep(_ value: Value, in state: inout ContextCache.State)
  /// Removes the row, if held.
  func drop(from state: inout ContextCache.State)
  /// How many rows it counts for against the bound.
  func count(_ value: Value) -> Int
}

extension CachedRow {
  func count(_ value: Value) -> Int { 1 }
}

private struct CommunityRow: CachedRow {
  let id: String
  func hit(_ state: ContextCache.State) -> Community? { state.communities[id] }
  func fetch(_ db: Database) throws -> Community? { try Rows.community(db, id: id) }
  // Events do not change communities; a save drops the row instead.
  func overlay(_ value: inout Community, _ changes: Changes) {}
  func keep(_ value: Community, in state: inout ContextCache.State) {
    state.communities[id] = value
  }
  func drop(from state: inout ContextCache.State) {
    if state.communities.removeValue(forKey: id) != nil { state.rows -= 1 }
  }
}

private struct MemberRow: CachedRow {
  let id: String
  func hit(_ state: ContextCache.State) -> Member? { state.members[id] }
  func fetch(_ db: Database) throws -> Member? { try Rows.member(db, id: id) }
  func overlay(_ value: inout Member, _ changes: Changes) {
    for change in changes.members where change.member == id { change.apply(to: &value) }
  }
  func keep(_ value: Member, in state: inout ContextCache.State) { state.members[id] = value }
  func drop(from state: inout ContextCache.State) {
    if state.members.removeValue(forKey: id) != nil { state.rows -= 1 }
  }
}

private struct ThreadRow: CachedRow {
  let id: String
  func hit(_ state: ContextCache.State) -> DialogueThread? { state.threads[id] }
  func fetch(_ db: Database) throws -> DialogueThread? { try Rows.thread(db, id: id) }
  func overlay(_ value: inout DialogueThread, _ changes: Changes) {
    for change in changes.threads where change.thread == id { change.apply(to: &value) }
  }
  func keep(_ value: DialogueThread, in state: inout ContextCache.State) {
    state.threads[id] = value
  }
  func drop(from state: inout ContextCache.State) {
    if state.threads.removeValue(forKey: id) != nil { state.rows -= 1 }
  }
}

/// A thread's latest messages: held only if read with at least `limit`.
private struct RecentRow: CachedRow {
  let thread: String
  let limit: Int
  func hit(_ state: ContextCache.State) -> [Message]? {
    guard let recent = state.recent[thread], recent.limit >= limit else { return nil }
    return recent.messages
  }
  func fetch(_ db: Database) throws -> [Message]? {
    try Rows.recentMessages(db, thread: thread, limit: limit)
  }
  func overlay(_ value: inout [Message], _ changes: Changes) {
    for message in changes.messages where message.thread == thread {
      ContextCache.keep(message, in: &value)
    }
  }
  func keep(_ value: [Message], in state: inout ContextCache.State) {
    drop(from: &state)
    state.recent[thread] = ContextCache.Recent(messages: value, limit: limit)
  }
  func drop(from state: inout ContextCache.State) {
    state.rows -= state.recent.removeValue(forKey: thread)?.messages.count ?? 0
  }
  func count(_ value: [Message]) -> Int { value.count }
}
