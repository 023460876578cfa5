import Foundation
import Parley
import ParleyLua

/// Finds spec files, runs them in parallel across cores, and gathers results.
public struct SpecRunner: Sendable {
  /// What to run and how.
  public struct Options: Sendable {
    /// Only specs whose full name contains this text.
    public var filter: String?
    /// Stop starting specs after the first failure.
    public var failFast = false
    /// Mixed into every random seed; the same seed gives the same run.
    public var seed: Int64 = 0
    /// Specs running at once.
    public var parallelism = ProcessInfo.processInfo.activeProcessorCount
    /// Budget of each spec's own Lua (not the rules').
    public var budget = LuaBudget(instructions: 50_000_000, time: .seconds(10))

    public init() {}
  }

  /// A plugin and its spec files.
  struct Target: Sendable {
    var catalog: PluginCatalog
    var plugin: String
    var specFiles: [(path: String, text: String)]
  }

  public let options: Options

  public init(options: Options = Options()) { self.options = options }

  /// Runs every spec under `paths`: a folder of plugins, a plugin folder, or
  /// spec files.
  public func run(paths: [URL]) async -> SpecRun {
    let start = ContinuousClock.now
    var problems: [SpecProblem] = []
    let targets = SpecDiscovery.targets(for: paths, problems: &problems)

    // Collect every spec (running the files once, to learn their `it`s).
    var cases: [SpecCase] = []
    var rules: [Provenance] = []
    for target in targets {
      for file in target.specFiles {
        do {
          let session = try SpecSession(target: target, file: file, options: options)
          cases.append(contentsOf: session.cases)
          if rules.isEmpty || !rules.contains(where: { $0.plugin == target.plugin }) {
            rules.append(contentsOf: session.rules)
          }
        } catch {
          problems.append(error)
        }
      }
      if target.specFiles.isEmpty, let session = try? SpecEngine(catalog: target.catalog) {
        rules.append(contentsOf: session.rules)
      }
    }
    if let filter = options.filter { cases = cases.filter { $0.name.contains(filter) } }

    let results = problems.isEmpty ? await runCases(cases, targets: targets) : []
    var counts: [String: Int] = [:]
    for result in results { for rule in result.fired { counts[rule, default: 0] += 1 } }
    var seen: Set<String> = []
    let coverage = Coverage(
      entries: rules.filter { seen.insert($0.name).inserted }.map {
        Coverage.Entry(rule: $0, specs: counts[$0.name] ?? 0)
      })
    return SpecRun(
      results: results, problems: problems, coverage: coverage,
      elapsed: ContinuousClock.now - start,
      seed: options.seed)
  }

  private func runCases(_ cases: [SpecCase], targets: [Target]) async -> [SpecResult] {
    let queue = Locked((next: 0, stop: false))
    let options = self.options
    let lanes = max(1, min(options.parallelism, cases.count))
    return await withTaskGroup(of: [(Int, SpecResult)].self) { group in
      for _ in 0..<lanes {
        group.addTask {
          var sessions: [String: SpecSession] = [:]
          var done: [(Int, SpecResult)] = []
          while true {
            let position: Int? = queue.withLock { state in
              guard !state.stop, state.next < cases.count else { return nil }
              defer { state.next += 1 }
              return state.next
            }
            guard let position else { break }
            let spec = cases[position]
            let result: SpecResult
            do throws(SpecProblem) {
              if sessions[spec.file] == nil {
                guard let target = targets.first(where: { $0.plugin == spec.plugin }),
                  let file = target.specFiles.first(where: { $0.path == spec.file })
                else { continue }
                sessions[spec.file] = try SpecSession(target: target, file: file, options: options)
              }
              result = sessions[spec.file]!.run(spec)
            } catch {
              result = SpecResult(
                spec: spec, failure: SpecFailure(message: error.message, location: error.file),
                duration: .zero, fired: [])
            }
            if !result.passed && options.failFast { queue.withLock { $0.stop = true } }
            done.append((position, result))
          }
          return done
        }
      }
      var all: [(Int, SpecResult)] = []
      for await part in group { all.append(contentsOf: part) }
      return all.sorted { $0.0 < $1.0 }.map(\.1)
    }
  }
}
