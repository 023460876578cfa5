import Foundation
import Parley
import ParleyBench
import ParleyPostgres

/// Hosts sharing one PostgreSQL, in this process: each its own store (its
/// own connections) and its own Parley, as separate application servers
/// would have. Events alternate between hosts, as a load balancer deals
/// them, so one thread's events meet on both.
enum PostgresBench {
  /// Durable events per second over all hosts, on a fresh schema.
  static func run(
    url: String, hosts count: Int, pack: String, corpus: SyntheticCorpus, events: Int,
    workers: Int
  ) async throws -> Double {
    let schema = "bench_\(count)_hosts"
    let separator = url.contains("?") ? "&" : "?"
    let configuration = try PostgresConfiguration(url: url + separator + "schema=" + schema)
    var stores: [PostgresStore] = []
    var hosts: [Parley] = []
    for index in 0..<count {
      let store = try await PostgresStore.connect(configuration, logger: quiet)
      if index == 0 {
        try await store.dropSchema()
        await store.close()
        stores.append(try await PostgresStore.connect(configuration, logger: quiet))
      } else {
        stores.append(store)
      }
      hosts.append(
        try await makeParley(plugins: packsFolder, workers: workers, store: stores[index]))
    }
    try await corpus.install(in: hosts[0])
    let start = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
      for (index, host) in hosts.enumerated() {
        group.addTask {
          let share = (events - index + count - 1) / count
          _ = try await EngineDriver.throughput(host, count: share) {
            corpus.event($0 * count + index)
          }
        }
      }
      try await group.waitForAll()
    }
    let seconds = (ContinuousClock.now - start).seconds
    try await stores[0].dropSchema()
    for store in stores { await store.close() }
    return Double(events) / seconds
  }
}
