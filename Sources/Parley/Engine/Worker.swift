import Foundation
import Logging
import ParleyLua

/// A rule as the worker knows it. A class: every event's outcomes name the
/// rules that ran, and a reference costs one retain where a copy of the
/// strings and the manifest cost a dozen.
final class LoadedRule: Sendable {
  let id: String
  /// What members read in a notice: `title` from `rule { }`, or the id in words.
  let title: String
  let events: Set<Event.Kind>
  let priority: Int
  let description: String
  let check: LuaReference
  let source: Provenance
  /// The manifest of the rule's plugin (its name, failure mode).
  let manifest: PluginManifest

  init(
    id: String, title: String, events: Set<Event.Kind>, priority: Int, description: String,
    check: LuaReference, source: Provenance, manifest: PluginManifest
  ) {
    self.id = id
    self.title = title
    self.events = events
    self.priority = priority
    self.description = description
    self.check = check
    self.source = source
    self.manifest = manifest
  }
}

/// What each rule that ran on an event returned, in running order.
typealias RuleOutcomes = [(rule: LoadedRule, outcome: RuleOutcome)]

extension LoadedRule {
  /// "newcomer-links" -> "Newcomer links".
  static func title(from id: String) -> String {
    let words = id.replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ")
    return words.prefix(1).uppercased() + words.dropFirst()
  }
}

/// One plugin loaded into a worker's state, in its own environment.
final class LoadedPlugin {
  let source: PluginSource
  let environment: LuaEnvironment
  let rules: [LoadedRule]

  init(source: PluginSource, environment: LuaEnvironment, rules: [LoadedRule]) {
    self.source = source
    self.environment = environment
    self.rules = rules
  }
}

/// What a rule's call needs from the host while it runs: the host functions
/// (`parley.now`, `state.*`, and the rule API's parts built on first read)
/// read it. Set for each event and plugin.
final class RuleScope {
  var plugin = ""
  var now = Date(timeIntervalSince1970: 0)
  /// The running event's context, while its rules run: the rule API builds
  /// `ctx.community`, `ctx.thread` and its `messages` and `participants`,
  /// `ctx.member.consents` and `.history` from it on first read. A pointer
  /// to the caller's value, not a copy: copying the thread alone would cost
  /// a retain per field on every event, for parts most rules never read.
  private var context: UnsafePointer<EventContext>?

  /// Runs `body` with `context` readable through the scope, and lets go of
  /// it before returning.
  func with<Result>(_ context: EventContext, _ body: () -> Result) -> Result {
    withUnsafePointer(to: context) { pointer in
      self.context = pointer
      defer { self.context = nil }
      return body()
    }
  }

  /// Read field by field through the pointer (`pointee.thread`), never as
  /// a whole value, which would copy the context.
  private var running: UnsafePointer<EventContext> {
    guard let context else { preconditionFailure("the rule API was read outside a rule call") }
    return context
  }

  var community: String { running.pointee.community.id }
  var communityName: String { running.pointee.community.name }
  var thread: DialogueThread? { running.pointee.thread }
  var recentMessages: ArraySlice<Message> { running.pointee.recent }
  var consents: Consents { running.pointee.member?.consents ?? Consents() }
  var history: DialogueHistory { running.pointee.member?.history ?? DialogueHistory() }
}

/// One Lua state with every plugin of a revision loaded.
///
/// Not thread-safe: a worker is used by one event at a time. Either its
/// ``Lanes`` (one thread per worker) or the ``WorkerPool`` (one lease holder
/// per worker) guarantees that, which is why it can be `@unchecked Sendable`.
final class Worker: @unchecked Sendable {
  let lua: LuaState
  /// Where this worker runs its rules when plugin state may block
  /// (``RuleThread``); nil to run them on the caller's thread.
  let ruleThread: RuleThread?
  let plugins: [LoadedPlugin]
  let revision: String
  private let scope: RuleScope
  private let budget: LuaBudget
  /// The views' `enter(event, member, settings)` (ContextViews.lua.swift):
  /// the read-only `event` and `ctx` one plugin's rules are called with.
  private let enter: LuaReference
  /// Where the running event's tables and the running plugin's views are
  /// kept: references replaced in place for every event and plugin, which
  /// costs no registry insertion and removal.
  private let eventTable: LuaReference
  /// The context's member table, or `false` for an event without one.
  private let memberTable: LuaReference
  private let eventView: LuaReference
  private let contextView: LuaReference
  /// Rules per event kind, in running order.
  private let plan: [Event.Kind: [(plugin: Int, rule: Int)]]
  /// Mixed into every event's random seed (`parley test --seed`).
  var seedSalt: Int64 = 0
  /// Each rule's costs, indexed by plugin then rule (``costIndex``); read by
  /// other threads through ``costs()``, so behind a lock taken once per event.
  private let costCounters: Locked<CostCounters>
  private let costIndex: [Int]
  /// This event's rule calls, published to ``costCounters`` when it ends.
  private var pendingCosts: [(rule: Int, nanoseconds: Int64, failed: Bool)] = []
  /// Settings tables, kept while the community's overrides stay the same.
  private var settingsCache:
    [SettingsKey: (overrides: [String: SettingValue], table: LuaReference)] = [:]

  private struct SettingsKey: Hashable {
    var community: String
    var plugin: Int
  }

  init(
    catalog: PluginCatalog, configuration: Parley.Configuration, pluginState: any PluginStateStore,
    logger: Logger
  ) throws(ParleyError) {
    ruleThread = pluginState.blocks ? RuleThread(label: "parley.rules") : nil
    let scope = RuleScope()
    let lua: LuaState
    do {
      lua = try LuaState(
        configuration: .init(memoryLimit: configuration.memoryLimit, budget: configuration.budget))
    } catch {
      throw .pluginsFailed([PluginProblem(plugin: "-", file: "-", message: error.description)])
    }
    Worker.registerHostFunctions(in: lua, scope: scope, pluginState: pluginState, logger: logger)
    let enter = try Worker.loadContextViews(into: lua)

    var plugins: [LoadedPlugin] = []
    var problems: [PluginProblem] = []
    for source in catalog.plugins {
      do {
        plugins.append(try Worker.load(source, into: lua))
      } catch {
        problems.append(contentsOf: error.problems)
      }
    }
    guard problems.isEmpty else { throw .pluginsFailed(problems) }

    var plan: [Event.Kind: [(plugin: Int, rule: Int, priority: Int)]] = [:]
    for (p, plugin) in plugins.enumerated() {
      for (r, rule) in plugin.rules.enumerated() {
        for kind in rule.events { plan[kind, default: []].append((p, r, rule.priority)) }
      }
    }
    // Higher priority first; ties keep plugin order, then declaration order.
    self.plan = plan.mapValues { entries in
      entries.enumerated().sorted {
        $0.element.priority != $1.element.priority
          ? $0.element.priority > $1.element.priority : $0.offset < $1.offset
      }.map { ($0.element.plugin, $0.element.rule) }
    }
    var costIndex: [Int] = []
    var ruleCount = 0
    for plugin in plugins {
      costIndex.append(ruleCount)
      ruleCount += plugin.rules.count
    }
    self.costIndex = costIndex
    self.costCounters = Locked(
      CostCounters(rules: Array(repeating: CostCounters.Rule(), count: ruleCount)))
    self.lua = lua
    self.enter = enter
    // An empty table holds each slot until its first event.
    let slot = { () -> LuaReference in
      lua.stack.newTable()
      return lua.popReference()
    }
    eventTable = slot()
    memberTable = slot()
    eventView = slot()
    contextView = slot()
    self.plugins = plugins
    self.scope = scope
    self.budget = configuration.budget
    self.revision = catalog.revision
  }

  /// Runs every rule that listens to the event, in order, each under its own
  /// budget. Never throws: a rule's failure is its outcome.
  func run(
    _ event: Event, context: EventContext, now: Date
  ) -> RuleOutcomes {
    guard let planned = plan[event.kind] else { return [] }
    let community = context.community
    let timerPlugin: String? = if case .timerDue(let timer) = event { timer.plugin } else { nil }
    defer { publishCosts() }
    scope.now = now
    return scope.with(context) {
      runPlanned(planned, event, context: context, community: community, timerPlugin: timerPlugin)
    }
  }

  /// The loop of ``run(_:context:now:)``, inside the rule scope.
  private func runPlanned(
    _ planned: [(plugin: Int, rule: Int)], _ event: Event, context: EventContext,
    community: Community, timerPlugin: String?
  ) -> RuleOutcomes {
    var results: RuleOutcomes = []
    results.reserveCapacity(planned.count)
    let stack = lua.stack
    var tablesPushed = false
    var views: Views?
    // The rules of one plugin run next to each other (priority ties keep
    // plugin order), so whether it is enabled, its settings and the views
    // its rules are called with are made once per plugin, not once per rule.
    var currentPlugin = -1
    var currentSettings: LuaReference?
    for (p, r) in planned {
      let plugin = plugins[p]
      if p != currentPlugin {
        currentPlugin = p
        currentSettings = nil
        views = nil
        let name = plugin.source.manifest.name
        if let enabled = community.enabled(name), timerPlugin == nil || timerPlugin == name {
          currentSettings = settingsTable(
            for: p, community: community.id, overrides: enabled.settings)
          scope.plugin = name
        }
      }
      guard let settings = currentSettings else { continue }
      if !tablesPushed {
        tablesPushed = true
        lua.seedRandom(Worker.seed(for: event, at: scope.now) ^ seedSalt)
        stack.pushEvent(event, context: context)
        lua.replace(eventTable)
        if let member = context.member {
          stack.pushMember(member)
        } else {
          stack.push(false)
        }
        lua.replace(memberTable)
      }
      if views == nil {
        views = makeViews(settings: settings)
      }
      let rule = plugin.rules[r]
      let outcome: RuleOutcome
      var nanoseconds: Int64 = 0
      switch views! {
      case .failed(let error):
        // The plugin's views could not be made (its state is out of
        // memory, say): each of its rules fails with that, never called.
        outcome = .failed(error)
      case .ready:
        do throws(LuaError) {
          outcome = try lua.call(
            rule.check, budget: budget,
            arguments: { stack in
              stack.push(eventView)
              stack.push(contextView)
              return 2
            },
            results: { (stack, count) throws(LuaError) -> RuleOutcome in
              var proposals: [Proposal] = []
              for i in 0..<count {
                let index = stack.top - count + 1 + i
                if stack.type(at: index) == .nil { continue }
                do throws(ProposalError) {
                  proposals.append(
                    try Proposal.read(stack: stack, at: index, event: event, context: context))
                } catch {
                  return .failed(
                    LuaError(
                      kind: .runtime, message: "rule '\(rule.id)' \(error.message)",
                      chunk: rule.source.location.chunk, line: rule.source.location.line))
                }
              }
              return .proposed(proposals)
            })
        } catch {
          outcome = .failed(error)
        }
        nanoseconds = lua.lastCallNanoseconds
      }
      let failed = if case .failed = outcome { true } else { false }
      pendingCosts.append((costIndex[p] + r, nanoseconds, failed))
      results.append((rule: rule, outcome: outcome))
    }
    return results
  }

  /// Whether the plugin's views are in ``eventView`` and ``contextView``,
  /// or why they could not be made.
  private enum Views {
    case ready
    case failed(LuaError)
  }

  /// Makes the views of this event and its context (with the plugin's
  /// settings) that the plugin's rules are called with. The views are the
  /// host's code, run without the rules' instruction budget, but they
  /// allocate, and a state a rule filled may be out of memory.
  private func makeViews(settings: LuaReference) -> Views {
    do throws(LuaError) {
      return try lua.callHost(
        enter,
        arguments: { stack in
          stack.push(eventTable)
          stack.push(memberTable)
          stack.push(settings)
          return 3
        },
        results: { _, _ in
          lua.replace(contextView)
          lua.replace(eventView)
          return .ready
        })
    } catch {
      return .failed(error)
    }
  }

  private func publishCosts() {
    let heap = lua.memoryInUse
    costCounters.withLock { counters in
      for call in pendingCosts {
        counters.rules[call.rule].calls += 1
        counters.rules[call.rule].nanoseconds += call.nanoseconds
        if call.failed { counters.rules[call.rule].failures += 1 }
        counters.rules[call.rule].durations.record(call.nanoseconds)
      }
      counters.heapBytes = heap
    }
    pendingCosts.removeAll(keepingCapacity: true)
  }

  /// Every rule's costs on this worker so far, and its Lua heap after its
  /// last event. Safe from any thread.
  func costs() -> (rules: [RuleCost], heapBytes: Int) {
    let counters = costCounters.withLock { $0 }
    var rules: [RuleCost] = []
    for (p, plugin) in plugins.enumerated() {
      for (r, rule) in plugin.rules.enumerated() {
        let counter = counters.rules[costIndex[p] + r]
        rules.append(
          RuleCost(
            plugin: plugin.source.manifest.name, rule: rule.id,
            location: rule.source.location, calls: counter.calls,
            failures: counter.failures, totalNanoseconds: counter.nanoseconds,
            durations: counter.durations))
      }
    }
    return (rules, counters.heapBytes ?? 0)
  }

  private func settingsTable(
    for plugin: Int, community: String, overrides: [String: SettingValue]
  ) -> LuaReference {
    let key = SettingsKey(community: community, plugin: plugin)
    if let cached = settingsCache[key], cached.overrides == overrides { return cached.table }
    if let stale = settingsCache[key] { lua.release(stale.table) }
    lua.stack.pushSettings(plugins[plugin].source.manifest.settings, overrides: overrides)
    let table = lua.popReference()
    settingsCache[key] = (overrides, table)
    return table
  }

  /// The same event at the same time always draws the same random numbers.
  /// Cheap (no text is formatted): it runs on every event, though `math.random`
  /// is seeded with it only when a rule draws.
  static func seed(for event: Event, at now: Date) -> Int64 {
    var hasher = FNV1a()
    switch event {
    case .messagePosted(let message), .messageEdited(let message):
      hasher.mix(event.kind.rawValue)
      hasher.mix(message.id)
      hasher.mix(message.author)
    default:
      hasher.mix(event.summary)
    }
    hasher.mix(now.timeIntervalSince1970.bitPattern)
    return Int64(bitPattern: hasher.value)
  }
}

/// A worker's running totals per rule.
struct CostCounters {
  struct Rule {
    var calls = 0
    var failures = 0
    var nanoseconds: Int64 = 0
    var durations = DurationHistogram()
  }

  var rules: [Rule]
  /// The Lua heap after the last event; nil until the first one.
  var heapBytes: Int?
}

/// A small, stable (not per-process) hash for seeds and revisions.
struct FNV1a {
  private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

  mutating func mix(_ text: String) {
    // Over the string's own bytes where it has them in one piece (native
    // and small strings do): the view's iterator checks every step, and
    // the store hashes a few keys per event with this.
    if text.utf8.withContiguousStorageIfAvailable({ mix(bytes: $0) }) == nil {
      mix(bytes: text.utf8)
    }
    value ^= 0xff
    value = value &* 0x100_0000_01b3
  }

  private mutating func mix(bytes: some Sequence<UInt8>) {
    var value = self.value
    for byte in bytes {
      value ^= UInt64(byte)
      value = value &* 0x100_0000_01b3
    }
    self.value = value
  }

  mutating func mix(_ word: UInt64) {
    for shift in stride(from: 0, to: 64, by: 8) {
      value ^= (word >> UInt64(shift)) & 0xff
      value = value &* 0x100_0000_01b3
    }
  }
}

extension String {
  /// `file:line` split into its parts.
  var chunk: String? {
    guard let colon = lastIndex(of: ":") else { return self }
    return String(self[..<colon])
  }

  var line: Int? {
    guard let colon = lastIndex(of: ":") else { return nil }
    return Int(self[index(after: colon)...])
  }
}
