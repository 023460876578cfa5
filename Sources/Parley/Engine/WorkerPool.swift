/// The workers of one revision. Each event leases one worker for the time
/// it runs its rules; when all are busy, callers wait in line.
final class WorkerPool: Sendable {
  private struct State {
    var idle: [Worker]
    var waiting: [CheckedContinuation<Worker, Never>] = []
  }

  let revision: String
  let manifests: [PluginManifest]
  let size: Int
  /// Every worker, leased or not: for reading their costs, never for running.
  let workers: [Worker]
  private let state: Locked<State>
  init(workers: [Worker], revision: String, manifests: [PluginManifest]) {
    self.revision = revision
    self.manifests = manifests
    self.size = workers.count
    self.workers = workers
    self.state = Locked(State(idle: workers))
  }

  /// Runs `body` with a worker of its own, on the worker's own thread when
  /// rules may block.
  func withWorker<T: Sendable>(_ body: (Worker) -> T) async -> T {
    let worker = await lease()
    defer { giveBack(worker) }
    guard let thread = worker.ruleThread else { return body(worker) }
    return await withTaskExecutorPreference(thread) { body(worker) }
  }

  private func lease() async -> Worker {
    if let worker = state.withLock({ $0.idle.popLast() }) { return worker }
    return await withCheckedContinuation { continuation in
      let ready: Worker? = state.withLock { state in
        if let worker = state.idle.popLast() { return worker }
        state.waiting.append(continuation)
        return nil
      }
      if let ready { continuation.resume(returning: ready) }
    }
  }

  private func giveBack(_ worker: Worker) {
    let next = state.withLock { state -> CheckedContinuation<Worker, Never>? in
      if state.waiting.isEmpty {
        state.idle.append(worker)
        return nil
      }
      return state.waiting.removeFirst()
    }
    next?.resume(returning: worker)
  }
}
