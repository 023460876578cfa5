import Foundation
import Logging

/// A single-threaded engine over an in-memory store and a manual clock, for
/// rule test suites: every call runs to completion before it returns, so a
/// spec written in plain sequential Lua can drive it.
package final class SpecEngine {
  package let store = InMemoryStore()
  package let clock: ManualClock
  package let revision: String
  /// How many times each rule (`plugin/rule`) proposed something.
  package private(set) var fired: [String: Int] = [:]
  private let worker: Worker
  private let recentMessages: Int

  package init(
    catalog: PluginCatalog, configuration: Parley.Configuration = Parley.Configuration(workers: 1),
    clock: ManualClock = ManualClock(), seed: Int64 = 0,
    logger: Logger = Logger(label: "parley.spec")
  ) throws(ParleyError) {
    self.clock = clock
    self.revision = catalog.revision
    self.recentMessages = configuration.recentMessages
    worker = try Worker(
      catalog: catalog, configuration: configuration, pluginState: store.pluginState, logger: logger
    )
    worker.seedSalt = seed
  }

  /// Every rule of the loaded plugins, as `plugin/rule`, with its location.
  package var rules: [Provenance] { worker.plugins.flatMap { $0.rules.map(\.source) } }

  /// The globals each plugin's rule files defined beyond what the sandbox
  /// and the rule API provide (by plugin name), e.g. a helper not made `local`.
  package var definedGlobals: [String: [String]] {
    let lua = worker.lua
    let fresh = lua.makeEnvironment()
    defer { lua.release(fresh) }
    lua.stack.push(fresh.reference)
    let provided = Set(lua.stack.stringKeys(ofTableAt: -1)).union(ruleAPINames)
    lua.stack.pop()
    var found: [String: [String]] = [:]
    for plugin in worker.plugins {
      lua.stack.push(plugin.environment.reference)
      let extra = lua.stack.stringKeys(ofTableAt: -1).filter { !provided.contains($0) }.sorted()
      lua.stack.pop()
      if !extra.isEmpty { found[plugin.source.manifest.name] = extra }
    }
    return found
  }

  /// Handles one event now. Replay passes the stored decision's id, so the
  /// appeals it replays find the decisions they name.
  package func handle(_ event: Event, decisionID: String = Decision.newID()) throws -> Decision {
    let (decision, outcomes) = try Pipeline.decide(
      event, worker: worker, store: store, recentMessages: recentMessages, now: clock.now,
      id: decisionID)
    for (rule, outcome) in outcomes {
      if case .proposed(let proposals) = outcome, !proposals.isEmpty {
        fired[rule.source.name, default: 0] += 1
      }
    }
    return decision
  }

  /// Handles every timer the clock has passed, in due order.
  package func fireDueTimers() throws -> [Decision] {
    try store.claimDueTimersNow(at: clock.now, limit: .max).map { try handle(.timerDue($0)) }
  }
}
