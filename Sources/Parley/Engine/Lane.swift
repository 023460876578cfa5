import Foundation

/// One worker's thread and the events waiting for it, used when the store
/// answers at once (``SynchronousStore``).
///
/// An event goes to the lane its sequence key hashes to, so the events of
/// one thread always queue on the same lane and run in the order they came.
/// A lane with work runs it back to back, taking everything queued in one
/// lock; it sleeps only when its inbox is empty, and a submitter wakes it
/// only then (after looking again for a little while). So a busy host pays
/// no task, await or wake-up per event.
final class Lane: @unchecked Sendable {
  /// An event and whom to tell its outcome.
  struct Job {
    var event: Event
    var completion: @Sendable (Result<Decision, any Error>) -> Void
  }

  // Guarded by `condition`.
  private var inbox: [Job] = []
  private var sleeping = false
  private var closed = false
  private var finished = false
  private let condition = NSCondition()
  private weak var thread: Thread?

  /// Starts the lane's thread, which runs each batch of jobs with `run`
  /// until ``close()``.
  init(name: String, run: @escaping @Sendable ([Job]) -> Void) {
    let thread = Thread { [self] in loop(run) }
    thread.name = name
    // Lua's C calls and pattern matching recurse on the C stack; give the
    // lane what the main thread has.
    thread.stackSize = 8 << 20
    self.thread = thread
    thread.start()
  }

  /// Queues a job; it runs after every job queued on this lane before it.
  func enqueue(_ job: Job) { deliver { $0.append(job) } }

  /// Queues jobs in their order, in one lock.
  func enqueue(contentsOf jobs: [Job]) {
    guard !jobs.isEmpty else { return }
    deliver { $0.append(contentsOf: jobs) }
  }

  /// Adds to the inbox under the lock, and wakes the lane if it sleeps.
  private func deliver(_ add: (inout [Job]) -> Void) {
    condition.lock()
    add(&inbox)
    let wake = sleeping
    condition.unlock()
    if wake { condition.signal() }
  }

  /// Lets the thread end once the jobs already queued have run, and waits
  /// for that (unless called from the lane's own thread, by a completion),
  /// so whatever the lane holds, a store's file for one, is let go of when
  /// this returns.
  func close() {
    condition.lock()
    closed = true
    condition.broadcast()
    if Thread.current !== thread {
      while !finished { condition.wait() }
    }
    condition.unlock()
  }

  /// How many times an idle lane yields its core and looks again before it
  /// sleeps: about 50-100 µs. A busy host's next event usually comes within
  /// that, and finding it costs no sleep and wake-up (two context switches).
  static let idleSpins = 100

  private func loop(_ run: ([Job]) -> Void) {
    var batch: [Job] = []
    while true {
      condition.lock()
      var spins = 0
      while inbox.isEmpty && !closed {
        if spins < Lane.idleSpins {
          spins += 1
          condition.unlock()
          sched_yield()
          condition.lock()
          continue
        }
        sleeping = true
        condition.wait()
      }
      sleeping = false
      if inbox.isEmpty {
        finished = true
        condition.broadcast()
        condition.unlock()
        return
      }
      swap(&batch, &inbox)
      condition.unlock()
      run(batch)
      batch.removeAll(keepingCapacity: true)
    }
  }
}
