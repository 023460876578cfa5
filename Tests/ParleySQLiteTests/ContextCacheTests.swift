import Foundation
import Parley
import Testing

@testable import ParleySQLite

/// The SQLite store serves contexts from memory while the group commit
/// writes behind: these pin what that must never change.
@Suite("The SQLite store's context cache")
struct ContextCacheTests {
  static let seeingRules = """
    rule { id = "seen", on = "message_posted", description = "d",
           check = function(event, ctx)
             return tag("seen" .. #ctx.thread.messages), tag("posts" .. ctx.member.history.posts)
           end }
    """

  @Test(
    "every event sees the ones before it, even when the cache keeps one row and reads the rest back",
    arguments: [1, 250_000])
  func seesEarlierEvents(cachedRows: Int) async throws {
    let fixture = try Fixture()
    try fixture.writeRules(Self.seeingRules)
    let clock = ManualClock()
    let (parley, store) = try await fixture.open(clock: clock, cachedRows: cachedRows)
    let writers = ["ada", "bob"]
    for (t, author) in writers.enumerated() {
      try await parley.openThread(
        DialogueThread(id: "t\(t)", community: "c", title: "T", opener: author))
    }
    // All in flight at once: most are decided before the first is on disk,
    // so each context is the file plus the changes not yet written.
    let events = (0..<60).map { i in
      Event.messagePosted(
        Message(
          id: "m\(i)", thread: "t\(i % 2)", author: writers[i % 2], text: "post \(i)",
          createdAt: clock.now))
    }
    let decisions = try await parley.handle(events).map { try $0.get() }
    for (i, decision) in decisions.enumerated() {
      let earlier = i / 2
      let tags = decision.effects.map(\.effect)
      #expect(tags.contains(.tag("seen\(min(earlier, 20))")), "event \(i): \(tags)")
      #expect(tags.contains(.tag("posts\(earlier)")), "event \(i): \(tags)")
    }
    // What the cache answers is what the file holds.
    let reopened = try SQLiteStore(path: fixture.database)
    for id in writers {
      #expect(try await store.member(id)?.history.posts == 30)
      #expect(try await reopened.member(id)?.history.posts == 30)
    }
    #expect(try await store.thread("t0")?.tags.count == 21 + 30)
    #expect(try await store.thread("t0") == reopened.thread("t0"))
  }

  @Test("another process's write is seen at the next commit, or when the cache is idle")
  func otherWriters() async throws {
    let fixture = try Fixture()
    let clock = ManualClock()
    let (parley, store) = try await fixture.open(clock: clock)
    _ = try await parley.handle(post("m1", "hello", at: clock.now))
    #expect(try await store.member("ada")?.displayName == "ada")

    // The CLI, say, renames ada through a store of its own.
    let other = try SQLiteStore(path: fixture.database)
    var renamed = try #require(try await other.member("ada"))
    renamed.displayName = "Ada L."
    try await other.save(renamed)
    // The host's next commit looks at the file and drops what it had.
    _ = try await parley.handle(post("m2", "hi", by: "bob", at: clock.now))
    #expect(try await store.member("ada")?.displayName == "Ada L.")

    // With no commit in between, a context read looks once the cache has
    // gone unchecked for its trust interval (zero here).
    let idle = try SQLiteStore(path: fixture.database, cachedRows: 100, trustCacheFor: .zero)
    let before = try await idle.context(for: post("m3", "x", at: clock.now), recentMessages: 5)
    #expect(before.member?.displayName == "Ada L.")
    renamed.displayName = "Ada Lovelace"
    try await other.save(renamed)
    let after = try await idle.context(for: post("m3", "x", at: clock.now), recentMessages: 5)
    #expect(after.member?.displayName == "Ada Lovelace")
    #expect(after.recentMessages.map(\.id) == ["m1", "m2"])
  }

  @Test("a commit that fails leaves nothing of itself in what later events read")
  func failedCommit() async throws {
    let fixture = try Fixture()
    let clock = ManualClock()
    let (parley, store) = try await fixture.open(clock: clock)
    let first = try await parley.handle(post("m1", "hello", at: clock.now))
    // The same decision id again: the audit log's unique index refuses it.
    var changes = Changes(decision: first)
    changes.messages = [
      Message(id: "lost", thread: "t", author: "ada", text: "never", createdAt: clock.now)
    ]
    var change = MemberChange(member: "ada")
    change.history.posts = 100
    changes.members = [change]
    await #expect(throws: (any Error).self) { try await store.commit(changes) }

    let context = try await store.context(for: post("m2", "next", at: clock.now), recentMessages: 5)
    #expect(context.recentMessages.map(\.id) == ["m1"])
    #expect(context.member?.history.posts == 1)
    #expect(try await store.message("lost") == nil)
  }

  enum ReadPath: CaseIterable { case lookup, prefetch }

  @Test(
    "a row read after the writer wrote it, before the cache heard so, is not counted twice",
    arguments: ReadPath.allCases)
  func readDuringWrite(path: ReadPath) async throws {
    let fixture = try Fixture()
    let clock = ManualClock()
    let (parley, store) = try await fixture.open(clock: clock)
    var decision = try await parley.handle(post("m1", "hello", at: clock.now))
    #expect(try await store.member("ada")?.history.posts == 1)

    // A cache of its own over the same file, so the test plays the writer.
    let cache = ContextCache(pool: store.pool, rowLimit: 100, trustFor: .seconds(60))
    decision.id = "d-race"
    var changes = Changes(decision: decision)
    var change = MemberChange(member: "ada")
    change.history.posts = 1
    changes.members = [change]
    var numbered = 0
    cache.apply(changes) { numbered = $0 }
    let (encoded, seq) = (try GroupCommitter.Encoded(changes), numbered)
    // The writer has it on disk, with the mark, but has not yet told the
    // cache (`written(through:)`): the race a read can fall into.
    try await store.pool.write { db in
      try GroupCommitter.write(encoded, db)
      try db.execute(
        sql: "INSERT INTO writeMark (store, seq) VALUES (?, ?)", arguments: [cache.storeID, seq])
    }
    switch path {
    case .lookup: break
    case .prefetch: try cache.prefetch(thread: "t", member: "ada", recentMessages: 5)
    }
    #expect(try cache.member("ada")?.history.posts == 2)
    #expect(try cache.thread("t")?.participants == ["ada"])
  }

  @Test(
    "a member or thread just saved is kept in memory, and a member read and saved back while its changes are being written counts each once"
  )
  func keptOnSave() async throws {
    let fixture = try Fixture()
    let clock = ManualClock()
    let (parley, store) = try await fixture.open(clock: clock)
    var decision = try await parley.handle(post("m1", "hello", at: clock.now))
    #expect(try await store.member("ada")?.history.posts == 1)

    // An event the writer has not written yet: ada's second post, the
    // first in a thread about to be opened. (The test plays the writer.)
    decision.id = "d-pending"
    var changes = Changes(decision: decision)
    changes.messages = [
      Message(id: "m2", thread: "t2", author: "ada", text: "first", createdAt: clock.now)
    ]
    var change = MemberChange(member: "ada")
    change.history.posts = 1
    changes.members = [change]
    var seq = 0
    store.cache.apply(changes) { seq = $0 }

    // The host reads ada (the pending post counted), changes a consent as
    // `setConsent` does, saves her back and opens t2.
    var ada = try #require(try await store.member("ada"))
    #expect(ada.history.posts == 2)
    ada.consents.offers = true
    try await store.save(ada)
    try await store.save(DialogueThread(id: "t2", community: "c", title: "T2", opener: "ada"))

    // Changed in the file behind the cache's back (on the store's own writer
    // connection, so not taken for another process's write): what the cache
    // answers now comes from memory, not from a read of the file.
    try await store.pool.write { db in
      try db.execute(sql: "UPDATE member SET displayName = 'from the file' WHERE id = 'ada'")
      try db.execute(sql: "UPDATE thread SET title = 'from the file' WHERE id = 't2'")
      try db.execute(
        sql: """
          INSERT INTO message (id, thread, author, text, createdAt, sponsored, automated)
          VALUES ('from the file', 't2', 'bob', 'x', 0, 0, 0)
          """)
    }
    let member = try #require(try await store.member("ada"))
    #expect(member.displayName == "ada")
    #expect(member.consents.offers)
    #expect(member.history.posts == 2)
    #expect(try await store.thread("t2")?.title == "T2")
    #expect(try store.cache.recent("t2", limit: 20).map(\.id) == ["m2"])

    // The writer catches up: the file counts the pending post once.
    let (encoded, written) = (try GroupCommitter.Encoded(changes), seq)
    try await store.pool.write { db in
      try GroupCommitter.write(encoded, db)
      try db.execute(
        sql: "UPDATE writeMark SET seq = ? WHERE store = ?",
        arguments: [written, store.cache.storeID])
    }
    #expect(try await SQLiteStore(path: fixture.database).member("ada")?.history.posts == 2)
  }

  @Test("two saves of one member that end out of order leave the later one in the cache")
  func savesEndingOutOfOrder() async throws {
    let fixture = try Fixture()
    let (_, store) = try await fixture.open()
    let cache = ContextCache(pool: store.pool, rowLimit: 100, trustFor: .seconds(60))
    var ada = try #require(try await store.member("ada"))
    let first = cache.beginSave()
    let second = cache.beginSave()
    ada.displayName = "One"
    let one = ada
    let firstStamp = try await store.pool.write { db in
      try Rows.save(one, db)
      return try cache.stamp(db)
    }
    ada.displayName = "Two"
    let two = ada
    let secondStamp = try await store.pool.write { db in
      try Rows.save(two, db)
      return try cache.stamp(db)
    }
    // The writer ran them in order; their callers resumed the other way round.
    cache.saved(two, second, secondStamp)
    cache.saved(one, first, firstStamp)
    #expect(try cache.member("ada")?.displayName == "Two")
    #expect(try await SQLiteStore(path: fixture.database).member("ada")?.displayName == "Two")
  }

  @Test(
    "the store keeps what the host saves: the next read of that member or thread is served from memory"
  )
  func storeKeepsSaves() async throws {
    let fixture = try Fixture()
    let clock = ManualClock()
    let (parley, store) = try await fixture.open(clock: clock)
    _ = try await parley.handle(post("m1", "hello", at: clock.now))
    var bob = try #require(try await store.member("bob"))
    bob.trustLevel = 4
    try await store.save(bob)
    try await store.save(DialogueThread(id: "t2", community: "c", title: "T2", opener: "bob"))
    // A thread with messages in the file: saved again, it still has them.
    try await store.save(DialogueThread(id: "t", community: "c", title: "Renamed", opener: "ada"))
    // Behind the cache's back, on the store's own writer connection.
    try await store.pool.write { db in
      try db.execute(sql: "UPDATE member SET trustLevel = 0 WHERE id = 'bob'")
      try db.execute(sql: "UPDATE thread SET opener = 'ada' WHERE id = 't2'")
    }
    #expect(try await store.member("bob")?.trustLevel == 4)
    #expect(try await store.thread("t2")?.opener == "bob")
    let context = try await store.context(for: post("m2", "next", at: clock.now), recentMessages: 5)
    #expect(context.thread?.title == "Renamed")
    #expect(context.recentMessages.map(\.id) == ["m1"])
  }

  @Test(
    "a new thread's latest messages stay right, within and past the bound of its whole list, for any count asked"
  )
  func newThreadRecent() async throws {
    let fixture = try Fixture()
    let clock = ManualClock()
    let (parley, store) = try await fixture.open(clock: clock)
    try await parley.openThread(
      DialogueThread(id: "t2", community: "c", title: "T2", opener: "ada"))
    let next = Event.messagePosted(
      Message(id: "next", thread: "t2", author: "ada", text: "x", createdAt: clock.now))
    var posted = 0
    // 100 posts: the whole list holds them all. 260: it kept its latest 64
    // at the 129th, then again whenever it passed 128 (the 194th and the
    // 259th), and ends with 65, so longer lists are read from the file.
    for total in [100, 260] {
      let events = (posted..<total).map { i in
        Event.messagePosted(
          Message(
            id: "m\(i)", thread: "t2", author: "ada", text: "post \(i)", createdAt: clock.now))
      }
      for result in await parley.handle(events) { _ = try result.get() }
      posted = total
      let reopened = try SQLiteStore(path: fixture.database)
      for limit in [5, 20, 64, 65, 100] {
        let context = try await store.context(for: next, recentMessages: limit)
        #expect(
          context.recentMessages.map(\.id) == (total - limit..<total).map { "m\($0)" },
          "after \(total) posts, \(limit) asked")
        #expect(
          try await reopened.context(for: next, recentMessages: limit).recentMessages
            == context.recentMessages)
      }
    }
  }
}
