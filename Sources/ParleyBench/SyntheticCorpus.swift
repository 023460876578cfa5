import Foundation
import Parley

/// A deterministic community for benchmarks: members of varied age, role and
/// trust, threads, and messages with a realistic mix (plain text, links,
/// shouting, promotion, mentions, questions, replies). The same seed always
/// gives the same corpus, so runs and the C baseline compare like for like.
public struct SyntheticCorpus: Sendable {
  public var community: Community
  public var members: [Member]
  public var threads: [DialogueThread]
  public var messages: [Message]

  /// The share of each kind of message, in percent of all messages.
  public static let mix: [(kind: String, percent: Int)] = [
    ("plain", 32), ("long post", 2), ("question", 16), ("link", 10), ("promotion", 8),
    ("mentions", 7),
    ("shouting", 5), ("short reply", 12), ("personal details", 3), ("repeated characters", 3),
    ("blocked word", 2),
  ]

  /// - Parameters:
  ///   - messages: How many messages to generate.
  ///   - members: How many members post them.
  ///   - threads: How many threads they are spread over.
  ///   - plugins: The plugins the community enables (no setting overrides).
  public init(
    messages: Int, members: Int = 5_000, threads: Int = 10_000, plugins: [String], seed: UInt64 = 42
  ) {
    var random = SplitMix64(seed: seed)
    let start = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01
    community = Community(
      id: "bench", name: "Benchmark Community", plugins: plugins.map { EnabledPlugin(name: $0) })
    self.members = (0..<members).map { i in
      let roll = random.next(100)
      let role: Member.Role = roll < 1 ? .staff : roll < 2 ? .moderator : .member
      let ageDays = random.next(730)
      let trust = ageDays < 7 ? 0 : min(4, ageDays / 120 + random.next(2))
      return Member(
        id: "member-\(i)", community: "bench", displayName: Vocabulary.name(i, &random),
        role: role, affiliation: role == .staff ? "Acme" : nil,
        joinedAt: start.addingTimeInterval(-Double(ageDays) * 86_400),
        trustLevel: trust,
        consents: Consents(support: true, news: random.next(2) == 0, offers: random.next(4) == 0),
        history: DialogueHistory(
          posts: ageDays / 3, repliesToOthers: ageDays / 5, repliesReceived: ageDays / 4,
          questionsAsked: ageDays / 30, questionsAnswered: ageDays / 40),
        score: ageDays / 10)
    }
    self.threads = (0..<threads).map { t in
      DialogueThread(
        id: "thread-\(t)", community: "bench", title: Vocabulary.title(&random),
        opener: "member-\(random.next(members))")
    }
    var lastInThread: [String?] = Array(repeating: nil, count: threads)
    var mixTable: [String] = []
    for entry in Self.mix { mixTable += Array(repeating: entry.kind, count: entry.percent) }
    self.messages = (0..<messages).map { i in
      let thread = random.next(threads)
      let kind = mixTable[random.next(mixTable.count)]
      let previous = lastInThread[thread]
      let replyTo =
        previous != nil && (kind == "short reply" || random.next(10) < 4) ? previous : nil
      // Six digits, so every repeated id (`message-000007~2`) is too long
      // for Swift's inline strings, as a real host's ids would be: ids that
      // crossed that length part-way through a run looked like growth.
      let id = "message-" + String(repeating: "0", count: max(0, 6 - "\(i)".count)) + "\(i)"
      lastInThread[thread] = id
      return Message(
        id: id, thread: "thread-\(thread)", author: "member-\(random.next(members))",
        text: Vocabulary.text(kind, &random), createdAt: start.addingTimeInterval(Double(i)),
        replyTo: replyTo, sponsored: kind == "promotion" && random.next(3) == 0)
    }
  }

  /// The same corpus, with each thread already listing everyone who posts in
  /// it, as an established community's threads would. The store's thread
  /// rows are then as large as they will get before the first event, so a
  /// long run that reads memory sees the host's growth, not the threads
  /// learning their posters (a new poster is data the store must keep).
  public func withEstablishedThreads() -> SyntheticCorpus {
    var copy = self
    var index: [String: Int] = [:]
    for (i, thread) in threads.enumerated() { index[thread.id] = i }
    for message in messages {
      guard let i = index[message.thread] else { continue }
      if !copy.threads[i].participants.contains(message.author) {
        copy.threads[i].participants.append(message.author)
      }
    }
    return copy
  }

  /// The `i`th event: the messages in order, repeated with fresh ids
  /// (`message-000007~2`) and later times once they run out. Made on demand, so
  /// a million-event run does not hold a million events.
  public func event(_ i: Int) -> Event {
    var message = messages[i % messages.count]
    let round = i / messages.count
    if round > 0 {
      message.id += "~\(round)"
      if let replyTo = message.replyTo { message.replyTo = replyTo + "~\(round)" }
      message.createdAt += Double(round * messages.count)
    }
    return .messagePosted(message)
  }

  /// Saves the community, members and threads through the host's API.
  public func install(in parley: Parley) async throws {
    try await parley.createCommunity(community)
    for member in members { try await parley.addMember(member) }
    for thread in threads { try await parley.openThread(thread) }
  }
}

/// A small, fast, well-mixed generator: the same seed, the same corpus on
/// every machine (Swift's own generators do not promise that).
struct SplitMix64 {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A number in 0..<bound.
  mutating func next(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

  mutating func pick<T>(_ items: [T]) -> T { items[next(items.count)] }
}
