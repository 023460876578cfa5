import Foundation

/// Everything the engine reads and writes.
///
/// The engine reads an event's whole context in one call
/// (``context(for:recentMessages:)``) and writes everything an event changed
/// in one batch (``commit(_:)``), so a durable store can do each in a single
/// transaction.
public protocol Store: Sendable {
  func save(_ community: Community) async throws
  func save(_ member: Member) async throws
  func save(_ thread: DialogueThread) async throws

  func community(_ id: String) async throws -> Community?
  func member(_ id: String) async throws -> Member?
  func thread(_ id: String) async throws -> DialogueThread?
  func message(_ id: String) async throws -> Message?

  /// The community, member, thread, recent messages and stored message an
  /// event needs, read together.
  /// - Throws: ``ParleyError`` when something the event names does not exist.
  func context(for event: Event, recentMessages: Int) async throws -> EventContext

  /// Writes one event's decision and everything it changed, atomically.
  func commit(_ changes: Changes) async throws

  /// Removes and returns the timers due at `date`, earliest first: each is
  /// handed out once.
  func claimDueTimers(at date: Date, limit: Int) async throws -> [ScheduledTimer]

  /// The most recent decisions of a community, newest first.
  func decisions(community: String, limit: Int) async throws -> [Decision]

  /// Every decision in the order it was made, of one community (or all) and
  /// from a date on (or from the start): what rule health and replay read.
  func history(community: String?, since: Date?) async throws -> [Decision]

  /// Messages held for a moderator, oldest first.
  func pendingReviews(community: String) async throws -> [Review]

  /// A decision by its id, for appeals.
  func decision(id: String) async throws -> Decision?

  /// The appeal against a decision, pending or answered.
  func appeal(decision: String) async throws -> AppealRecord?

  /// Appeals waiting for a moderator, oldest first.
  func pendingAppeals(community: String) async throws -> [AppealRecord]

  /// Each plugin's own key-value state.
  var pluginState: any PluginStateStore { get }

  /// Runs the whole handling of one event (reading its context, running the
  /// rules, committing) while no other host handles an event with the same
  /// `key` (``Event/sequenceKey``).
  ///
  /// One process already keeps same-key events in order, so stores used by
  /// one host need nothing here: the default runs `body` as it is. A store
  /// shared by several hosts makes the handling one transaction under a lock
  /// on `key`, and may run `body` again when the database asks to retry.
  func deciding<T: Sendable>(key: String, _ body: @Sendable () async throws -> T) async throws -> T
}

extension Store {
  public func deciding<T: Sendable>(key: String, _ body: @Sendable () async throws -> T)
    async throws -> T
  {
    try await body()
  }
}

/// What a rule sees besides the event.
public struct EventContext: Sendable, Hashable {
  public var community: Community
  /// The member the event is about; nil for timers.
  public var member: Member?
  public var thread: DialogueThread?
  /// The thread's latest messages, oldest first.
  public var recentMessages: [Message] {
    get { Array(recent) }
    set { recent = newValue[...] }
  }
  /// The same messages as the store handed them over: a slice of the
  /// store's own array where it keeps one, so reading a context does not
  /// touch (retain) every message, most of which no rule reads.
  var recent: ArraySlice<Message>

  /// The recent message with this id, looked for newest first: a reply is
  /// most often to one of the latest, and each message looked at is a
  /// record of its own to fetch from memory.
  func recentMessage(_ id: String) -> Message? { recent.last { $0.id == id } }
  /// The stored message the event is about: before the edit for edits, the
  /// reported or reviewed message otherwise.
  public var storedMessage: Message?
  /// For appeal events: the decision appealed against.
  public var appealed: Decision?
  /// For appeal events: the appeal as stored so far (nil before it is filed).
  public var appeal: AppealRecord?

  // No initializer here: the memberwise one, `init(community:member:thread:
  // recent:storedMessage:appealed:appeal:)`, is what the stores call. An
  // initializer of its own that set each field made Swift build the
  // context in a temporary and copy it out (a retain and a release per
  // field, on every event); the one below only forwards to it.
}

extension EventContext {
  /// A context built by hand (tests, replays, hosts with their own store);
  /// `recentMessages` oldest first.
  public init(
    community: Community, member: Member? = nil, thread: DialogueThread? = nil,
    recentMessages: [Message] = [], storedMessage: Message? = nil, appealed: Decision? = nil,
    appeal: AppealRecord? = nil
  ) {
    self.init(
      community: community, member: member, thread: thread, recent: recentMessages[...],
      storedMessage: storedMessage, appealed: appealed, appeal: appeal)
  }
}

/// What one event changed: written in one batch. Members and threads change
/// by deltas, so events of different threads touching the same member never
/// overwrite each other's counts.
public struct Changes: Sendable {
  public var decision: Decision
  public var messages: [Message] = []
  public var members: [MemberChange] = []
  public var threads: [ThreadChange] = []
  public var timers: [ScheduledTimer] = []
  public var reviewsOpened: [Review] = []
  public var reviewsClosed: [String] = []
  /// Appeals filed or answered (the whole record, replacing any stored one).
  public var appeals: [AppealRecord] = []
}

extension Changes {
  // In an extension, so the memberwise initializer stays: what
  // `Consequences` builds an event's changes with, in one piece.
  /// The changes of a decision that changes nothing else yet.
  public init(decision: Decision) { self.init(decision: decision, messages: []) }
}

/// The key of one value in a plugin's state.
public struct StateKey: Sendable, Hashable {
  public var community: String
  public var plugin: String
  public var key: String

  public init(community: String, plugin: String, key: String) {
    self.community = community
    self.plugin = plugin
    self.key = key
  }
}

/// A plugin's small persistent key-value state, with counters and expiry.
///
/// Synchronous on purpose: rules are synchronous Lua running on a worker, and
/// `state.incr` must answer within the rule's call. Implementations must be
/// safe to call from many workers at once, and `increment` must be atomic.
public protocol PluginStateStore: Sendable {
  func value(_ key: StateKey, at now: Date) throws -> TimerValue?
  func set(_ key: StateKey, to value: TimerValue?, expires: Date?) throws
  /// Adds `by` and returns the new value; a missing or expired key starts at
  /// 0 and takes `expires`.
  func increment(_ key: StateKey, by: Int64, expires: Date?, at now: Date) throws -> Int64

  /// Whether answers may wait on the network or on another host's lock.
  /// Parley then runs rules on threads of their own, never on Swift's
  /// shared concurrency threads. False by default.
  var blocks: Bool { get }
}

extension PluginStateStore {
  public var blocks: Bool { false }
}

/// Additions to a member's counters, and a new mute.
public struct MemberChange: Sendable, Hashable {
  public var member: String
  public var history = DialogueHistory()
  public var score = 0
  public var mutedUntil: Date?
  /// End the mute now (an overturned appeal); wins over `mutedUntil`.
  public var liftMute = false

  public init(member: String) { self.member = member }

  /// Applies the change to a stored member.
  public func apply(to stored: inout Member) {
    stored.history.posts += history.posts
    stored.history.repliesToOthers += history.repliesToOthers
    stored.history.repliesReceived += history.repliesReceived
    stored.history.questionsAsked += history.questionsAsked
    stored.history.questionsAnswered += history.questionsAnswered
    stored.score += score
    if let mutedUntil { stored.mutedUntil = max(stored.mutedUntil ?? mutedUntil, mutedUntil) }
    if liftMute { stored.mutedUntil = nil }
  }
}

/// Additions to a thread: participants, tags, a new status or team.
public struct ThreadChange: Sendable, Hashable {
  public var thread: String
  public var participants: [String] = []
  public var tags: [String] = []
  public var status: DialogueThread.Status?
  public var assignedTeam: String?

  public init(thread: String) { self.thread = thread }

  public var isEmpty: Bool {
    participants.isEmpty && tags.isEmpty && status == nil && assignedTeam == nil
  }

  /// Applies the change to a stored thread.
  public func apply(to stored: inout DialogueThread) {
    for id in participants where !stored.participants.contains(id) {
      stored.participants.append(id)
    }
    for tag in tags where !stored.tags.contains(tag) { stored.tags.append(tag) }
    if let status { stored.status = status }
    if let assignedTeam { stored.assignedTeam = assignedTeam }
  }
}

extension MemberChange {
  /// Applies the change to a member that may not exist (then nothing happens).
  public func apply(to stored: inout Member?) {
    // Changed in place: a copy taken out and put back would retain and
    // release every field of the member. The case is matched without a
    // binding: `stored != nil` copied the member to compare it.
    if case .some = stored { apply(to: &stored!) }
  }
}

extension ThreadChange {
  /// Applies the change to a thread that may not exist (then nothing happens).
  public func apply(to stored: inout DialogueThread?) {
    // In place, and tested without a copy, as for members.
    if case .some = stored { apply(to: &stored!) }
  }
}
