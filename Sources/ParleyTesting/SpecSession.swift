import Foundation
import Parley
import ParleyLua

/// One spec file loaded into its own Lua state, ready to run its `it`s.
/// Not thread-safe: each runner lane keeps its own sessions.
final class SpecSession {
  let cases: [SpecCase]
  let rules: [Provenance]
  private let lua: LuaState
  private let scenario: SpecScenario
  private let runTest: LuaReference
  private let budget: LuaBudget

  init(
    target: SpecRunner.Target, file: (path: String, text: String), options: SpecRunner.Options
  ) throws(SpecProblem) {
    let scenario = SpecScenario(catalog: target.catalog, plugin: target.plugin, seed: options.seed)
    do {
      rules = try SpecEngine(catalog: target.catalog).rules
    } catch {
      throw SpecProblem(file: file.path, message: "\(error)")
    }
    let state: LuaState
    do {
      state = try LuaState(configuration: .init(memoryLimit: 256 << 20, budget: options.budget))
    } catch {
      throw SpecProblem(file: file.path, message: error.description)
    }
    scenario.register(in: state)
    state.seedRandom(options.seed)
    let environment = state.makeEnvironment()
    let api: LuaReference
    do {
      let prelude = try state.load(specPreludeSource, chunkName: "parley/spec.lua", in: environment)
      api = try state.call(
        prelude, arguments: { _ in 0 }, results: { _, _ in state.popReference() })
      state.release(prelude)
      try state.run(file.text, chunkName: file.path, in: environment)
    } catch {
      throw SpecProblem(file: error.chunk ?? file.path, line: error.line, message: error.message)
    }
    let stack = state.stack
    stack.push(api)
    stack.rawField("run", of: -1)
    runTest = state.popReference()
    stack.rawField("tests", of: -1)
    var cases: [SpecCase] = []
    for i in stride(from: 1, through: stack.rawLength(at: -1), by: 1) {
      stack.rawIndex(i, of: -1)
      stack.rawField("name", of: -1)
      let name = stack.string(at: -1) ?? "spec \(i)"
      stack.pop()
      stack.rawField("location", of: -1)
      let location = stack.string(at: -1) ?? file.path
      stack.pop(2)
      cases.append(
        SpecCase(file: file.path, plugin: target.plugin, name: name, location: location, index: i))
    }
    stack.pop(2)
    state.release(api)
    self.lua = state
    self.cases = cases
    self.scenario = scenario
    self.budget = options.budget
  }

  /// Runs one `it` against a fresh host.
  func run(_ spec: SpecCase) -> SpecResult {
    let start = ContinuousClock.now
    var failure: SpecFailure?
    do {
      try scenario.reset()
      try lua.call(
        runTest, budget: budget,
        arguments: { stack in
          stack.push(spec.index)
          return 1
        }, results: { _, _ in () })
    } catch let error as LuaError {
      failure = SpecFailure(
        message: error.message,
        location: error.chunk.map { chunk in error.line.map { "\(chunk):\($0)" } ?? chunk },
        explanation: scenario.lastDecision?.explanation,
        traceback: error.kind == .runtime && !error.message.hasPrefix("expected")
          ? error.traceback : nil)
    } catch {
      failure = SpecFailure(message: "\(error)", location: spec.location)
    }
    let fired = Set(scenario.engine?.fired.keys.map { $0 } ?? [])
    scenario.finish()
    return SpecResult(
      spec: spec, failure: failure, duration: ContinuousClock.now - start, fired: fired)
  }
}
