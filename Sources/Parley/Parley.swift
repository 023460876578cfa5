import Foundation
import Logging
import ParleyLua

/// The rule host a community application embeds.
///
/// ```swift
/// let parley = try await Parley(plugins: URL(filePath: "plugins"), store: InMemoryStore())
/// let decision = try await parley.handle(.messagePosted(message))
/// print(decision.explanation)
/// ```
///
/// Events of one thread are handled in the order they are submitted; events
/// of different threads run in parallel on a pool of workers, each owning a
/// Lua state with every plugin loaded. With a ``SynchronousStore`` (the
/// in-memory store) each worker has a thread of its own and runs its events
/// back to back; with other stores, or plugin state that may block
/// (``PluginStateStore/blocks``), each event is a task.
public final class Parley: Sendable {
  /// How Parley runs rules.
  public struct Configuration: Sendable {
    /// Workers, each with its own Lua state. Defaults to the machine's cores.
    public var workers: Int
    /// The budget of each rule's call on each event.
    public var budget: LuaBudget
    /// The most memory one worker's Lua state may hold, in bytes.
    public var memoryLimit: Int
    /// How many of a thread's latest messages a rule sees in `ctx.thread.messages`.
    public var recentMessages: Int

    public init(
      workers: Int = ProcessInfo.processInfo.activeProcessorCount,
      budget: LuaBudget = LuaBudget(instructions: 1_000_000, time: .milliseconds(250)),
      memoryLimit: Int = 64 << 20, recentMessages: Int = 20
    ) {
      self.workers = max(1, workers)
      self.budget = budget
      self.memoryLimit = memoryLimit
      self.recentMessages = recentMessages
    }
  }

  public let store: any Store
  public let clock: any ParleyClock
  public let configuration: Configuration
  private let folder: URL
  private let logger: Logger
  private let pool: Locked<WorkerPool>
  /// One per worker when the store answers at once; nil when events run as
  /// tasks, kept in order per key by the sequencer.
  private let lanes: Lanes?
  private let sequencer = Sequencer()

  /// Loads every plugin under `plugins` and starts the workers.
  /// - Throws: ``ParleyError/pluginsFailed(_:)`` listing each problem with
  ///   its plugin, file and line.
  public init(
    plugins: URL, store: any Store, clock: any ParleyClock = SystemClock(),
    configuration: Configuration = Configuration(), logger: Logger = Logger(label: "parley")
  ) async throws(ParleyError) {
    self.folder = plugins
    self.store = store
    self.clock = clock
    self.configuration = configuration
    self.logger = logger
    let first = try Parley.makePool(
      folder: plugins, configuration: configuration, pluginState: store.pluginState, logger: logger)
    let pool = Locked(first)
    self.pool = pool
    // A lane runs its events one after another, so a rule waiting on plugin
    // state would hold up every event queued behind it: with state that may
    // block, any free worker takes the next event instead.
    if let synchronous = store as? any SynchronousStore, !store.pluginState.blocks {
      let recentMessages = configuration.recentMessages
      lanes = Lanes(count: first.size, name: "parley.lane") { lane, job in
        // Events already queued when a reload lands run on the new
        // revision, as tasks would.
        let worker = pool.withLock { $0.workers[lane] }
        Pipeline.decide(
          job.event, worker: worker, store: synchronous, recentMessages: recentMessages,
          now: clock.now, completion: job.completion)
      }
    } else {
      lanes = nil
    }
    logger.info(
      "loaded plugins", metadata: ["revision": "\(first.revision)", "workers": "\(first.size)"])
  }

  deinit {
    lanes?.close()
  }

  /// The content hash of the plugin revision new events run on.
  public var revision: String { pool.withLock { $0.revision } }

  /// The manifests of the plugins new events run on.
  public var plugins: [PluginManifest] { pool.withLock { $0.manifests } }

  // MARK: Events

  /// Runs the rules on an event and returns the combined, recorded decision.
  public func handle(_ event: Event) async throws -> Decision {
    guard lanes != nil else { return try await submit(event).value }
    return try await withCheckedThrowingContinuation { continuation in
      submit(event) { continuation.resume(with: $0) }
    }
  }

  /// Handles events together and returns each one's outcome, in their
  /// order: the cheapest way to feed a busy host's events, with one wake-up
  /// for the whole batch. Events of one thread are decided in their order in
  /// `events`, after those submitted before.
  public func handle(_ events: [Event]) async -> [Result<Decision, any Error>] {
    guard !events.isEmpty else { return [] }
    return await withCheckedContinuation { continuation in
      let gathered = Gathered(count: events.count, continuation)
      guard let lanes else {
        for (i, event) in events.enumerated() { submit(event) { gathered.set(i, $0) } }
        return
      }
      lanes.enqueue(
        contentsOf: events.enumerated().map { i, event in
          Lanes.Job(event: event) { gathered.set(i, $0) }
        })
    }
  }

  /// Queues an event and returns at once; events with the same thread (or
  /// member, or message) are decided in the order they were submitted.
  public func submit(_ event: Event) -> Task<Decision, any Error> {
    guard lanes != nil else {
      return sequencer.enqueue(key: event.sequenceKey) { [self] in try await decide(event) }
    }
    let promise = Promise<Decision>()
    submit(event) { promise.fulfill($0) }
    return Task { try await promise.value }
  }

  /// Queues an event and returns at once; `completion` gets the decision
  /// (or the error) when it is recorded (with a durable store, once it is
  /// on disk). Events with the same thread (or member, or message) are
  /// decided in the order they were submitted.
  ///
  /// For hosts with their own event loop. `completion` may run on one of
  /// Parley's worker threads, or on the thread that made the event durable
  /// (the SQLite store's group commit): it must return quickly and never
  /// wait for another event.
  public func submit(
    _ event: Event, completion: @escaping @Sendable (Result<Decision, any Error>) -> Void
  ) {
    if let lanes {
      lanes.enqueue(Lanes.Job(event: event, completion: completion))
      return
    }
    _ = sequencer.enqueue(key: event.sequenceKey) { [self] in
      do {
        completion(.success(try await decide(event)))
      } catch {
        completion(.failure(error))
      }
    }
  }

  /// Handles the `timer_due` events of every timer the clock has passed.
  /// A timer another host fired meanwhile is skipped: each timer fires once.
  @discardableResult
  public func fireDueTimers(limit: Int = 1000) async throws -> [Decision] {
    let due = try await store.claimDueTimers(at: clock.now, limit: limit)
    let tasks = due.map { submit(.timerDue($0)) }
    var decisions: [Decision] = []
    for task in tasks {
      do {
        decisions.append(try await task.value)
      } catch ParleyError.timerAlreadyFired {
        continue
      }
    }
    return decisions
  }

  private func decide(_ event: Event) async throws -> Decision {
    try await store.deciding(key: event.sequenceKey) { try await decideNow(event) }
  }

  private func decideNow(_ event: Event) async throws -> Decision {
    let pool = self.pool.withLock { $0 }  // in-flight events finish on their revision
    let (decision, changes): (Decision, Changes)
    do {
      // Gone before the commit, as in `Pipeline.decide`.
      let context = try await store.context(
        for: event, recentMessages: configuration.recentMessages)
      let now = clock.now
      let outcomes = await pool.withWorker { worker in
        worker.run(event, context: context, now: now)
      }
      // Fetched first: the store answers asynchronously, `Pipeline.members`
      // picks from what it found by the same rules as the lanes.
      let involved = Pipeline.involvedMembers(event, context: context, outcomes: outcomes)
      var found: [String: Member] = [:]
      for id in involved ?? [] where id != context.member?.id {
        found[id] = try await store.member(id)
      }
      let members = Pipeline.members(of: context, involved: involved) { found[$0] }
      (decision, changes) = Pipeline.finish(
        event, context: context, outcomes: outcomes, members: members, revision: pool.revision,
        now: now)
    }
    try await store.commit(changes)
    logger.debug(
      "decided", metadata: ["event": "\(event.summary)", "verdict": "\(decision.verdict.rawValue)"])
    return decision
  }

  // MARK: Costs

  /// What each rule of the current revision has cost so far, over every
  /// worker, slowest in total first. Counting starts when a revision loads.
  public func ruleCosts() -> [RuleCost] {
    let pool = self.pool.withLock { $0 }
    var merged: [RuleCost] = []
    for worker in pool.workers {
      let costs = worker.costs().rules
      if merged.isEmpty {
        merged = costs
        continue
      }
      for (i, cost) in costs.enumerated() { merged[i].merge(cost) }
    }
    return merged.sorted { $0.totalNanoseconds > $1.totalNanoseconds }
  }

  /// Each worker's Lua heap, in bytes, after the last event it ran (0 before
  /// its first): every plugin of the revision is loaded in each.
  public func workerHeapBytes() -> [Int] {
    pool.withLock { $0 }.workers.map { $0.costs().heapBytes }
  }

  // MARK: Plugins

  /// Loads the plugin folder again as a new revision, in fresh Lua states.
  /// If anything fails to load, the current revision stays active and the
  /// problems are thrown. Events already running finish on their revision.
  /// - Returns: The new revision.
  @discardableResult
  public func reload() async throws(ParleyError) -> String {
    let fresh = try Parley.makePool(
      folder: folder, configuration: configuration, pluginState: store.pluginState, logger: logger)
    let old = pool.withLock { pool in
      defer { pool = fresh }
      return pool.revision
    }
    logger.info("reloaded plugins", metadata: ["from": "\(old)", "to": "\(fresh.revision)"])
    return fresh.revision
  }

  private static func makePool(
    folder: URL, configuration: Configuration, pluginState: any PluginStateStore, logger: Logger
  ) throws(ParleyError) -> WorkerPool {
    let catalog = try PluginCatalog.load(from: folder)
    var workers: [Worker] = []
    for _ in 0..<configuration.workers {
      workers.append(
        try Worker(
          catalog: catalog, configuration: configuration, pluginState: pluginState, logger: logger))
    }
    return WorkerPool(
      workers: workers, revision: catalog.revision, manifests: catalog.plugins.map(\.manifest))
  }

  // MARK: Communities, members, threads

  /// Creates or updates a community.
  public func createCommunity(_ community: Community) async throws {
    try await store.save(community)
  }

  /// Adds (or updates) a member without announcing it to the rules.
  public func addMember(_ member: Member) async throws {
    try await store.save(member)
  }

  /// Adds a member and handles their `member_joined` event.
  public func join(_ member: Member) async throws -> Decision {
    try await store.save(member)
    return try await handle(.memberJoined(member: member.id))
  }

  /// Opens (or updates) a thread. Its first message is then posted as an event.
  public func openThread(_ thread: DialogueThread) async throws {
    try await store.save(thread)
  }

  /// Records a member's consent and handles the `consent_changed` event.
  public func setConsent(member id: String, purpose: Purpose, granted: Bool) async throws
    -> Decision
  {
    guard var member = try await store.member(id) else { throw ParleyError.unknownMember(id) }
    member.consents[purpose] = granted
    try await store.save(member)
    return try await handle(
      .consentChanged(ConsentChange(member: id, purpose: purpose, granted: granted)))
  }

  /// Files a member's appeal against a decision that acted on them (the
  /// `appeal_filed` event). The core refuses it (verdict `remove`, with the
  /// reason in the member's notice) when the member is not the one the
  /// decision acted on, the decision was already appealed, or it is older
  /// than the community's appeal window; otherwise it joins the review queue
  /// (``Store/pendingAppeals(community:)``).
  /// - Throws: ``ParleyError/unknownDecision(_:)`` when no decision has that id.
  public func appeal(decision: String, member: String, text: String) async throws -> Decision {
    try await handle(.appealFiled(Appeal(decision: decision, member: member, text: text)))
  }

  /// Records a moderator's answer to an appeal (the `appeal_resolved`
  /// event). Overturning returns the reversing effects (`restore` the
  /// message, `liftMute`) and closes the message's review.
  /// - Throws: ``ParleyError/noPendingAppeal(_:)`` when nobody appealed that decision.
  public func resolveAppeal(
    decision: String, outcome: AppealResolution.Outcome, moderator: String, note: String? = nil
  ) async throws -> Decision {
    try await handle(
      .appealResolved(
        AppealResolution(decision: decision, outcome: outcome, moderator: moderator, note: note)))
  }

  /// Records a moderator's answer to a held message and handles the
  /// `review_resolved` event.
  public func resolveReview(
    message: String, outcome: ReviewResolution.Outcome, moderator: String, note: String? = nil
  ) async throws -> Decision {
    try await handle(
      .reviewResolved(
        ReviewResolution(message: message, outcome: outcome, moderator: moderator, note: note)))
  }
}
