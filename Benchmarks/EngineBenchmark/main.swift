// The engine benchmark: a deterministic synthetic corpus driven through
// Parley's full path (context, every rule, combination, consent
// enforcement, explanation, the store) beside a bare C host running the
// same rule files over the same corpus, with the ratios, latency at a fixed
// load, durable throughput and memory. See docs/performance.md.
//
//   swift run -c release EngineBenchmark [--events N] [--format table|json] ...

import CHeapStats
import CRuleBaseline
import Foundation
import Logging
import Parley
import ParleyBench
import ParleyPostgres
import ParleySQLite

struct Options {
  var events = 200_000
  var latencyEvents = 100_000
  /// A fixed offered load for the latency run, events per second, instead
  /// of 70 % of the measured peak: the same load for two builds compared.
  var latencyRate: Int?
  var durableEvents = 50_000
  /// A PostgreSQL server to measure the shared store on (make bench passes
  /// a throwaway one); without it that part is left out.
  var postgres = ProcessInfo.processInfo.environment["PARLEY_BENCH_POSTGRES_URL"]
  var postgresEvents = 20_000
  var memoryEvents = 1_000_000
  /// How many times the packs, latency and durable runs are repeated, each
  /// round running every host in turn. One run's ratio moves by a tenth from
  /// run to run on a shared machine; the report gives every round's ratio
  /// and their median.
  var rounds = 3
  var format = "table"
  var packs = "Benchmarks/packs"
  var plugins = "plugins"
  var only: Set<String> = ["packs", "latency", "durable", "memory"]
  var packNames = ["bench-light", "bench-heavy"]

  static let usage = """
    usage: EngineBenchmark [--events N] [--latency-events N] [--durable-events N]
                           [--rounds N] [--latency-rate EVENTS_PER_SECOND]
                           [--memory-events N] [--format table|json]
                           [--postgres URL] [--postgres-events N]
                           [--packs DIR] [--plugins DIR]
                           [--only packs,latency,durable,memory] [--pack NAME]
    """

  init(_ arguments: [String]) {
    var rest = arguments[...]
    while let flag = rest.popFirst() {
      let value = rest.popFirst()
      let number = value.flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil }
      switch (flag, value, number) {
      case ("--events", _, let n?): events = n
      case ("--latency-events", _, let n?): latencyEvents = n
      case ("--latency-rate", _, let n?): latencyRate = n
      case ("--durable-events", _, let n?): durableEvents = n
      case ("--postgres", let v?, _): postgres = v
      case ("--postgres-events", _, let n?): postgresEvents = n
      case ("--memory-events", _, let n?): memoryEvents = n
      case ("--rounds", _, let n?): rounds = n
      case ("--format", "table"?, _), ("--format", "json"?, _): format = value!
      case ("--packs", let v?, _): packs = v
      case ("--plugins", let v?, _): plugins = v
      case ("--only", let v?, _): only = Set(v.split(separator: ",").map(String.init))
      case ("--pack", let v?, _): packNames = [v]
      default:
        FileHandle.standardError.write(Data("\(Options.usage)\n".utf8))
        exit(2)
      }
    }
  }
}

// MARK: Report

struct Figures: Codable {
  var workers: Int
  var eventsPerSecond: Double
  var nanosecondsPerEvent: Double
  var verdicts: [String: Int]
  /// Parley only: how often a thread found one of Parley's locks taken,
  /// per event, and how often such a wait outlasted the spin and slept.
  var lockWaitsPerEvent: Double?
  var lockSleepsPerEvent: Double?
}

/// One pack's figures. Each host's are its median round's (by ns/event);
/// the ratios are the medians of each round's own ratio, the hosts of a
/// round having run one after the other on the same machine.
struct PackReport: Codable {
  var pack: String
  var rules: Int
  var rounds: Int
  var cBaseline: Figures
  /// The C baseline on as many threads as Parley has workers, each with its
  /// own Lua state: what the machine itself gives for the same Lua work.
  var cBaselineAllThreads: Figures
  var oneWorker: Figures
  var allWorkers: Figures
  /// Of Parley's ns/event (1 worker), the time spent inside rule calls: the
  /// rest is the host's own cost.
  var ruleNanosecondsPerEvent: Double
  var oneWorkerVersusC: Double
  var oneWorkerVersusCRounds: [Double]
  var scaling: Double
  var scalingRounds: [Double]
  /// The C baseline's own all-threads over one-thread throughput: the
  /// ceiling Parley's scaling is measured against.
  var cScaling: Double
  var cScalingRounds: [Double]
  var verdictsMatch: Bool
}

/// Latency at one offered load: the figures of the round with the median
/// p99, and every round's p99.
struct LatencyReport: Codable {
  var pack: String
  var offeredPerSecond: Double
  /// The offered load as a share of the measured peak; nil when it was
  /// given with --latency-rate.
  var shareOfPeak: Double?
  var events: Int
  var p99MicrosecondsRounds: [Double]
  var p50Microseconds: Double
  var p99Microseconds: Double
  var p999Microseconds: Double
  var maxMicroseconds: Double
  /// The same pace with no engine, just before: what the machine and the
  /// pacer add on their own.
  var pacerAlone: PacerReport
}

struct PacerReport: Codable {
  var p50Microseconds: Double
  var p99Microseconds: Double
  var p999Microseconds: Double
  var maxMicroseconds: Double

  init(_ result: LatencyResult) {
    p50Microseconds = Double(result.p50Nanoseconds) / 1000
    p99Microseconds = Double(result.p99Nanoseconds) / 1000
    p999Microseconds = Double(result.p999Nanoseconds) / 1000
    maxMicroseconds = Double(result.maxNanoseconds) / 1000
  }
}

/// SQLite against memory: each store's median round, and the median of
/// each round's ratio.
struct DurableReport: Codable {
  var pack: String
  var workers: Int
  var events: Int
  var sqliteEventsPerSecond: Double
  var inMemoryEventsPerSecond: Double
  var ratio: Double
  var ratioRounds: [Double]
  var postgres: PostgresReport?
}

/// Durable on one PostgreSQL: one host, then two hosts sharing the load.
struct PostgresReport: Codable {
  var events: Int
  var oneHostEventsPerSecond: Double
  var twoHostsEventsPerSecond: Double
  var scaling: Double
}

struct MemoryReport: Codable {
  var bundledPlugins: [String]
  var luaHeapBytesPerWorker: [Int]
  var cBaselineLuaHeapBytes: Int
  /// One reading every 100,000 events of the long run.
  var readings: [MemoryReading]
  var events: Int

  /// The readings the no-growth target compares: after 100,000 events and
  /// after the last.
  var first: MemoryReading? { readings.first { $0.events == 100_000 } }
  var last: MemoryReading? { readings.last }
}

struct MemoryReading: Codable {
  var events: Int
  var rssBytes: Int?
  /// What the allocator had handed out and not had back: growth here is
  /// live data; growth in RSS alone is memory the allocator kept.
  var liveHeapBytes: Int?
}

struct Report: Codable {
  var cores: Int
  var corpus: [String: Int]
  var packs: [PackReport]
  var latency: LatencyReport?
  var durable: DurableReport?
  var memory: MemoryReport?
}

func note(_ text: String) { FileHandle.standardError.write(Data("\(text)\n".utf8)) }

/// " (round 2 of 3)" for progress lines, or nothing when there is one round.
func roundLabel(_ round: Int) -> String {
  options.rounds > 1 ? " (round \(round) of \(options.rounds))" : ""
}

/// The middle value (the lower of the two middle ones for an even count).
func median(_ values: [Double]) -> Double { values.sorted()[(values.count - 1) / 2] }

/// The element whose `key` is the median.
func medianElement<T>(_ items: [T], by key: (T) -> Double) -> T {
  items.sorted { key($0) < key($1) }[(items.count - 1) / 2]
}

func verdictCounts(_ counts: [Verdict: Int]) -> [String: Int] {
  Dictionary(uniqueKeysWithValues: Verdict.allCases.map { ($0.rawValue, counts[$0] ?? 0) })
}

// MARK: Runs

let options = Options(Array(CommandLine.arguments.dropFirst()))
for (flag, folder) in [("--packs", options.packs), ("--plugins", options.plugins)] {
  var isFolder: ObjCBool = false
  guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue
  else {
    FileHandle.standardError.write(
      Data(
        """
        EngineBenchmark: no folder at \(folder). Run it from the repository's root \
        (make bench does), or pass \(flag) DIR.\n
        """.utf8))
    exit(2)
  }
}
let cores = ProcessInfo.processInfo.activeProcessorCount
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
  "parley-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)

/// Ends the run, removing the scratch folder first (the corpus files and the
/// SQLite database, about 90 MB): `exit` skips a top-level `defer`.
func finish(_ status: Int32) -> Never {
  try? FileManager.default.removeItem(at: scratch)
  exit(status)
}
let packsFolder = URL(fileURLWithPath: options.packs)
// Progress goes to stderr as plain lines; the engine's own info logs would drown it.
let quiet: Logger = {
  var logger = Logger(label: "parley")
  logger.logLevel = .warning
  return logger
}()

func makeParley(
  plugins: URL, workers: Int, store: any Store = InMemoryStore(retention: .init())
) async throws -> Parley {
  try await Parley(
    plugins: plugins, store: store, clock: ManualClock(),
    configuration: .init(workers: workers), logger: quiet)
}

func runParley(
  pack: String, corpus: SyntheticCorpus, workers: Int, events: Int,
  store: any Store = InMemoryStore(retention: .init())
) async throws -> ThroughputResult {
  try await runParleyWithCosts(
    pack: pack, corpus: corpus, workers: workers, events: events, store: store
  ).result
}

func runParleyWithCosts(
  pack: String, corpus: SyntheticCorpus, workers: Int, events: Int,
  store: any Store = InMemoryStore(retention: .init())
) async throws -> (result: ThroughputResult, costs: [RuleCost]) {
  let parley = try await makeParley(plugins: packsFolder, workers: workers, store: store)
  try await corpus.install(in: parley)
  let result = try await EngineDriver.throughput(parley, count: events) { corpus.event($0) }
  return (result, parley.ruleCosts())
}

func runC(pack: String, corpus: SyntheticCorpus, events: Int) throws -> rb_result {
  try runC(pack: pack, file: writeCorpus(pack: pack, corpus: corpus, events: events), threads: 1)
}

/// The corpus as the C baseline reads it, written once for every round.
func writeCorpus(pack: String, corpus: SyntheticCorpus, events: Int) throws -> URL {
  let file = scratch.appendingPathComponent("\(pack).tsv")
  try CorpusFile.write(corpus, events: (0..<events).map { corpus.event($0) }, to: file)
  return file
}

func runC(pack: String, file: URL, threads: Int) throws -> rb_result {
  var result = rb_result()
  let folder = packsFolder.appendingPathComponent(pack).path
  let status = folder.withCString { folderPointer in
    var folders: [UnsafePointer<CChar>?] = [folderPointer]
    return rb_run(file.path, &folders, 1, Int32(threads), &result)
  }
  guard status == 0 else {
    let message = withUnsafeBytes(of: result.error) {
      String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
    }
    note("C baseline failed: \(message)")
    finish(1)
  }
  return result
}

func figures(_ result: ThroughputResult, workers: Int) -> Figures {
  Figures(
    workers: workers, eventsPerSecond: result.eventsPerSecond,
    nanosecondsPerEvent: result.nanosecondsPerEvent, verdicts: verdictCounts(result.verdicts),
    lockWaitsPerEvent: Double(result.lockWaits) / Double(max(1, result.events)),
    lockSleepsPerEvent: Double(result.lockSleeps) / Double(max(1, result.events)))
}

/// A C baseline run's figures.
func figures(_ c: rb_result, threads: Int) -> Figures {
  Figures(
    workers: threads, eventsPerSecond: Double(c.events) * 1e9 / Double(c.elapsed_ns),
    nanosecondsPerEvent: Double(c.elapsed_ns) / Double(c.events), verdicts: cVerdicts(c))
}

func cVerdicts(_ c: rb_result) -> [String: Int] {
  [
    "allow": Int(c.verdicts.0), "flag": Int(c.verdicts.1), "hold": Int(c.verdicts.2),
    "remove": Int(c.verdicts.3),
  ]
}

/// One round of a pack: the C baseline on one thread and on all, then
/// Parley on 1 and on all workers.
struct PackRound {
  var c: rb_result
  var cAll: rb_result
  var one: ThroughputResult
  var all: ThroughputResult
  var ruleNanoseconds: Double

  var cFigures: Figures { figures(c, threads: 1) }
  var cAllFigures: Figures { figures(cAll, threads: cores) }
  var oneVersusC: Double { one.eventsPerSecond / cFigures.eventsPerSecond }
  var scaling: Double { all.eventsPerSecond / one.eventsPerSecond }
  var cScaling: Double { cAllFigures.eventsPerSecond / cFigures.eventsPerSecond }
  var verdictsMatch: Bool {
    let c = cVerdicts(c)
    return verdictCounts(one.verdicts) == c && verdictCounts(all.verdicts) == c
      && cVerdicts(cAll) == c
  }
}

var report = Report(cores: cores, corpus: [:], packs: [])
var peakAllWorkers: [String: Double] = [:]
var mismatch = false

for (pack, rules) in [("bench-light", 5), ("bench-heavy", 10)]
where options.only.contains("packs") && options.packNames.contains(pack) {
  note("\(pack): generating \(options.events) messages")
  let corpus = SyntheticCorpus(messages: options.events, plugins: [pack])
  report.corpus = [
    "messages": corpus.messages.count, "members": corpus.members.count,
    "threads": corpus.threads.count,
  ]
  let file = try writeCorpus(pack: pack, corpus: corpus, events: options.events)
  var rounds: [PackRound] = []
  for round in 1...options.rounds {
    let of = roundLabel(round)
    note("\(pack): C baseline, 1 thread\(of)")
    let c = try runC(pack: pack, file: file, threads: 1)
    note("\(pack): C baseline, \(cores) threads\(of)")
    let cAll = try runC(pack: pack, file: file, threads: cores)
    note("\(pack): Parley, 1 worker\(of)")
    let (one, costs) = try await runParleyWithCosts(
      pack: pack, corpus: corpus, workers: 1, events: options.events)
    note("\(pack): Parley, \(cores) workers\(of)")
    let all = try await runParley(
      pack: pack, corpus: corpus, workers: cores, events: options.events)
    let round = PackRound(
      c: c, cAll: cAll, one: one, all: all,
      ruleNanoseconds: costs.reduce(0.0) { $0 + Double($1.totalNanoseconds) }
        / Double(options.events))
    if one.failures + all.failures > 0 {
      note("\(pack): \(one.failures + all.failures) rule failures; the pack must not fail")
      mismatch = true
    }
    if !round.verdictsMatch {
      note(
        "\(pack): verdict counts differ: C \(cVerdicts(c)), C on \(cores) threads "
          + "\(cVerdicts(cAll)), Parley 1 worker \(verdictCounts(one.verdicts)), "
          + "\(cores) workers \(verdictCounts(all.verdicts))")
      mismatch = true
    }
    rounds.append(round)
  }
  let c = medianElement(rounds) { $0.cFigures.nanosecondsPerEvent }
  let cAll = medianElement(rounds) { $0.cAllFigures.nanosecondsPerEvent }
  let one = medianElement(rounds) { $0.one.nanosecondsPerEvent }
  let all = medianElement(rounds) { $0.all.nanosecondsPerEvent }
  peakAllWorkers[pack] = all.all.eventsPerSecond
  report.packs.append(
    PackReport(
      pack: pack, rules: rules, rounds: rounds.count, cBaseline: c.cFigures,
      cBaselineAllThreads: cAll.cAllFigures,
      oneWorker: figures(one.one, workers: 1), allWorkers: figures(all.all, workers: cores),
      ruleNanosecondsPerEvent: one.ruleNanoseconds,
      oneWorkerVersusC: median(rounds.map(\.oneVersusC)),
      oneWorkerVersusCRounds: rounds.map(\.oneVersusC),
      scaling: median(rounds.map(\.scaling)), scalingRounds: rounds.map(\.scaling),
      cScaling: median(rounds.map(\.cScaling)), cScalingRounds: rounds.map(\.cScaling),
      verdictsMatch: rounds.allSatisfy(\.verdictsMatch)))
}

// Diagnostic: the same events through the single-threaded spec engine (no
// tasks, no awaits), to separate the concurrency machinery from the rest.
if options.only.contains("sync") {
  for pack in options.packNames {
    let corpus = SyntheticCorpus(messages: options.events, plugins: [pack])
    let engine = try SpecEngine(catalog: PluginCatalog.load(from: packsFolder))
    try engine.store.saveNow(corpus.community)
    for m in corpus.members { try engine.store.saveNow(m) }
    for t in corpus.threads { try engine.store.saveNow(t) }
    let start = ContinuousClock.now
    var explained = 0
    for i in 0..<options.events {
      explained &+= try engine.handle(corpus.event(i)).explanation.count
    }
    let elapsed = ContinuousClock.now - start
    let seconds = elapsed.seconds
    note(
      "\(pack): synchronous engine \(Int(Double(options.events) / seconds)) events/s, \(Int(seconds * 1e9 / Double(options.events))) ns/event (\(explained))"
    )
  }
}

// Latency at 70 % of the light pack's measured peak.
if options.only.contains("latency") {
  let pack = "bench-light"
  let share: Double? = options.latencyRate == nil ? 0.7 : nil
  var rate = Double(options.latencyRate ?? 0)
  if let share {
    var peak = peakAllWorkers[pack]
    if peak == nil {
      note("latency: measuring the peak first")
      let corpus = SyntheticCorpus(messages: options.events, plugins: [pack])
      peak = try await runParley(pack: pack, corpus: corpus, workers: cores, events: options.events)
        .eventsPerSecond
    }
    rate = share * peak!
  }
  let count = min(options.latencyEvents, max(1000, Int(rate * 10)))
  let warmup = max(1000, count / 10)
  let corpus = SyntheticCorpus(messages: min(warmup + count, options.events), plugins: [pack])
  // Each round: the pacer on its own, then a fresh host at the same pace.
  var rounds: [(parley: LatencyResult, alone: LatencyResult)] = []
  for round in 1...options.rounds {
    let of = roundLabel(round)
    note("latency: \(count) events offered at \(Int(rate))/s, after \(warmup) to warm up\(of)")
    let alone = await EngineDriver.pacerAlone(count: count, warmup: warmup, perSecond: rate)
    let parley = try await makeParley(plugins: packsFolder, workers: cores)
    try await corpus.install(in: parley)
    let latency = try await EngineDriver.latency(
      parley, count: count, warmup: warmup, perSecond: rate
    ) { corpus.event($0) }
    rounds.append((latency, alone))
  }
  let (latency, alone) = medianElement(rounds) { Double($0.parley.p99Nanoseconds) }
  report.latency = LatencyReport(
    pack: pack, offeredPerSecond: rate, shareOfPeak: share, events: count,
    p99MicrosecondsRounds: rounds.map { Double($0.parley.p99Nanoseconds) / 1000 },
    p50Microseconds: Double(latency.p50Nanoseconds) / 1000,
    p99Microseconds: Double(latency.p99Nanoseconds) / 1000,
    p999Microseconds: Double(latency.p999Nanoseconds) / 1000,
    maxMicroseconds: Double(latency.maxNanoseconds) / 1000, pacerAlone: PacerReport(alone))
}

// Durable: SQLite, every decision committed when handle returns.
if options.only.contains("durable") {
  let pack = "bench-light"
  let count = min(options.durableEvents, options.events)
  let corpus = SyntheticCorpus(messages: count, plugins: [pack])
  var rounds: [(sqlite: Double, memory: Double)] = []
  for round in 1...options.rounds {
    let of = roundLabel(round)
    note("durable: \(count) events on SQLite, then in memory, \(cores) workers\(of)")
    let store = try SQLiteStore(path: scratch.appendingPathComponent("bench-\(round).db").path)
    let sqlite = try await runParley(
      pack: pack, corpus: corpus, workers: cores, events: count, store: store)
    let memory = try await runParley(pack: pack, corpus: corpus, workers: cores, events: count)
    rounds.append((sqlite.eventsPerSecond, memory.eventsPerSecond))
  }
  report.durable = DurableReport(
    pack: pack, workers: cores, events: count,
    sqliteEventsPerSecond: median(rounds.map(\.sqlite)),
    inMemoryEventsPerSecond: median(rounds.map(\.memory)),
    ratio: median(rounds.map { $0.sqlite / $0.memory }),
    ratioRounds: rounds.map { $0.sqlite / $0.memory })
  if let url = options.postgres {
    let events = options.postgresEvents
    note("durable: \(events) events on PostgreSQL, 1 host then 2 hosts, \(cores) workers each")
    let corpus = SyntheticCorpus(messages: events, plugins: [pack])
    let one = try await PostgresBench.run(
      url: url, hosts: 1, pack: pack, corpus: corpus, events: events, workers: cores)
    let two = try await PostgresBench.run(
      url: url, hosts: 2, pack: pack, corpus: corpus, events: events, workers: cores)
    report.durable?.postgres = PostgresReport(
      events: events, oneHostEventsPerSecond: one, twoHostsEventsPerSecond: two,
      scaling: two / one)
  }
}

// Memory: each worker's Lua heap with every bundled plugin loaded, and the
// process's resident memory over a long run.
if options.only.contains("memory") {
  let bundled = URL(fileURLWithPath: options.plugins)
  let names = try PluginCatalog.load(from: bundled).plugins.map(\.manifest.name)
  note("memory: Lua heap with \(names.count) bundled plugins")
  let corpus = SyntheticCorpus(messages: 2_000, plugins: names)
  let parley = try await makeParley(plugins: bundled, workers: cores)
  try await corpus.install(in: parley)
  _ = try await EngineDriver.throughput(parley, count: 2_000) { corpus.event($0) }
  let heaps = parley.workerHeapBytes()

  let both = ["bench-light", "bench-heavy"]
  note("memory: resident memory over \(options.memoryEvents) events")
  // Its threads start with their posters listed, so they are as large as
  // they get before the first event: a thread learning a new poster is data
  // the store keeps (live heap +2.7 % over the run before this), not a leak.
  let long = SyntheticCorpus(messages: min(options.events, 200_000), plugins: both)
    .withEstablishedThreads()
  // The store keeps 2 messages per thread (it trims a thread past twice
  // that, and by 100,000 events 97 % of threads have had 5 posts) and 1,000
  // pending reviews (the packs hold about one post in twenty): bounds
  // reached before the first reading, so what is measured is whether the
  // host leaks, not how much history an in-memory store is asked to keep.
  let runner = try await makeParley(
    plugins: packsFolder, workers: cores,
    store: InMemoryStore(
      retention: .init(messagesPerThread: 2, decisions: 10_000, pendingReviews: 1_000)))
  try await long.install(in: runner)
  // One feeder thread for the whole run, as a host's long-lived request
  // threads would be, reading memory every 100,000 events. A fresh feeder
  // thread per step got a fresh allocator arena from glibc, and the messages
  // the store kept from each pinned its pages: resident memory rose by 8 MiB
  // steps while the live heap stayed flat.
  //
  // From the corpus's second round on, so every event is a fresh message
  // (new id, its own copy) as a real host's would be. The first round's
  // messages share their storage with the corpus, so a store holding them
  // costs nothing extra, and the switch to fresh copies later looked like
  // growth (heaptrack: 14.6 MiB more at peak after 400,000 events than
  // after 100,000, all of it new messages the store kept).
  let readings = Locked<[MemoryReading]>([])
  // Read while the runner is still in use (Swift may free it after its last
  // use), with at most a window of events in flight.
  let read: @Sendable (Int) -> Void = { done in
    let reading = MemoryReading(
      events: done, rssBytes: ProcessMemory.residentBytes(), liveHeapBytes: liveHeapBytes())
    readings.withLock { $0.append(reading) }
    let heaps = runner.workerHeapBytes().map { String(format: "%.1f", Double($0) / 1_048_576) }
    note(
      "  \(done) events, resident \(reading.rssBytes.map { "\($0 >> 20) MiB" } ?? "?"), "
        + "live heap \(reading.liveHeapBytes.map { "\($0 >> 20) MiB" } ?? "?"), "
        + "Lua heaps \(heaps.joined(separator: " and ")) MiB")
  }
  let offset = long.messages.count
  _ = try await EngineDriver.throughput(
    runner, count: options.memoryEvents, event: { long.event(offset + $0) }, progress: read)
  // A short run (CI's) ends between readings: one more at its end.
  if options.memoryEvents % 100_000 != 0 { read(options.memoryEvents) }
  let cHeap = try runC(
    pack: "bench-heavy", corpus: SyntheticCorpus(messages: 100, plugins: both), events: 100)
  report.memory = MemoryReport(
    bundledPlugins: names, luaHeapBytesPerWorker: heaps,
    cBaselineLuaHeapBytes: Int(cHeap.lua_heap_bytes), readings: readings.withLock { $0 },
    events: options.memoryEvents)
}

/// The allocator's live bytes, nil where it cannot tell (not glibc).
func liveHeapBytes() -> Int? {
  let bytes = heap_stats_live_bytes()
  return bytes > 0 ? Int(bytes) : nil
}

// MARK: Output

if options.format == "json" {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
  encoder.keyEncodingStrategy = .convertToSnakeCase
  print(String(decoding: try encoder.encode(report), as: UTF8.self))
} else {
  print(ReportTable.render(report))
}
finish(mismatch ? 1 : 0)
