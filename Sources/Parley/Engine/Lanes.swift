import DequeModule
import Foundation

/// The workers' threads and the events waiting for them, used when the
/// store answers at once (``SynchronousStore``): one thread per worker,
/// each running events back to back.
///
/// Events wait in one queue and whichever lane is free takes the next, so
/// a lane held up (a slow rule, a core the machine lends elsewhere for a
/// few milliseconds) holds up only its own event while the others carry
/// on. Events with the same sequence key still run one at a time in the
/// order they came: while a lane holds one, the key's later events are
/// handed to that lane, behind it.
final class Lanes: @unchecked Sendable {
  /// An event and whom to tell its outcome.
  struct Job {
    var event: Event
    var completion: @Sendable (Result<Decision, any Error>) -> Void
    /// Which entry of ``Lanes/slots`` orders it: its sequence key's hash.
    fileprivate var slot = 0

    init(event: Event, completion: @escaping @Sendable (Result<Decision, any Error>) -> Void) {
      self.event = event
      self.completion = completion
    }
  }

  /// Who holds a sequence key's events. Keys are folded into a fixed
  /// number of slots: two keys sharing one are only kept in one order
  /// between them, which costs no correctness, and no table grows.
  private struct Slot {
    /// The lane holding the slot's events, while `held` is above 0.
    var lane: Int32 = -1
    /// Events of the slot a lane has taken (running, or handed to it) and
    /// not yet finished.
    var held: Int32 = 0
  }

  private static let slotCount = 4096

  // Guarded by `condition`.
  private var queue = Deque<Job>()
  private var slots = Array(repeating: Slot(), count: Lanes.slotCount)
  /// Per lane, events whose key it holds, in order: it runs them before
  /// taking from the queue.
  private var handed: [Deque<Job>]
  private var sleeping = 0
  private var closed = false
  private var running: Int
  private var threads: [pthread_t] = []
  private let condition = Condition()

  /// Starts `count` threads, each running the events it takes with
  /// `run(lane, event)` until ``close()``.
  init(
    count: Int, name: String, run: @escaping @Sendable (_ lane: Int, _ job: Job) -> Void
  ) {
    handed = Array(repeating: Deque(), count: count)
    running = count
    for index in 0..<count {
      let thread = Thread { [self] in loop(index, run) }
      thread.name = "\(name).\(index)"
      // Lua's C calls and pattern matching recurse on the C stack; give a
      // lane what the main thread has.
      thread.stackSize = 8 << 20
      thread.start()
    }
  }

  /// Queues an event; it runs after every event with its sequence key
  /// queued before it.
  func enqueue(_ job: Job) {
    var job = job
    job.slot = Self.slot(of: job.event)
    condition.lock()
    queue.append(job)
    let wake = sleeping > 0
    condition.unlock()
    if wake { condition.signal() }
  }

  /// Queues events in their order, in one lock.
  func enqueue(contentsOf jobs: [Job]) {
    guard !jobs.isEmpty else { return }
    let slotted = jobs.map { job in
      var job = job
      job.slot = Self.slot(of: job.event)
      return job
    }
    condition.lock()
    queue.append(contentsOf: slotted)
    let wake = sleeping > 0
    condition.unlock()
    if wake { condition.broadcast() }
  }

  private static func slot(of event: Event) -> Int {
    event.sequenceHash & (slotCount - 1)
  }

  /// Lets the threads end once the events already queued have run, and
  /// waits for that (unless called from a lane, by a completion), so
  /// whatever the lanes hold, a store's file for one, is let go of when
  /// this returns.
  func close() {
    condition.lock()
    closed = true
    condition.broadcast()
    let me = pthread_self()
    if !threads.contains(where: { pthread_equal($0, me) != 0 }) {
      while running > 0 { condition.wait() }
    }
    condition.unlock()
  }

  /// How many times an idle lane yields its core and looks again before it
  /// sleeps: about 50-100 µs. A busy host's next event usually comes within
  /// that, and finding it costs no sleep and wake-up (two context switches).
  static let idleSpins = 100

  private func loop(_ lane: Int, _ run: (Int, Job) -> Void) {
    condition.lock()
    threads.append(pthread_self())
    var finished: Int?  // the slot of the event this lane just ran
    var spins = 0
    while true {
      if let slot = finished {
        slots[slot].held -= 1
        finished = nil
      }
      if let job = take(for: lane) {
        condition.unlock()
        run(lane, job)
        finished = job.slot
        spins = 0
        condition.lock()
        continue
      }
      if closed {
        running -= 1
        condition.broadcast()
        condition.unlock()
        return
      }
      if spins < Lanes.idleSpins {
        spins += 1
        condition.unlock()
        sched_yield()
        condition.lock()
        continue
      }
      sleeping += 1
      condition.wait()
      sleeping -= 1
    }
  }

  /// The next event `lane` may run: one handed to it, else the queue's
  /// first whose key no other lane holds. Events of keys other lanes hold
  /// are handed to them on the way. Called under the lock.
  private func take(for lane: Int) -> Job? {
    if let job = handed[lane].popFirst() { return job }
    while let job = queue.popFirst() {
      let holder = Int(slots[job.slot].lane)
      slots[job.slot].held += 1
      if slots[job.slot].held > 1 && holder != lane {
        // The holder is busy with the key's earlier event, so it is awake
        // and looks at what it was handed before the queue.
        handed[holder].append(job)
        continue
      }
      slots[job.slot].lane = Int32(lane)
      return job
    }
    return nil
  }
}
