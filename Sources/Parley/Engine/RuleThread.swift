import Dispatch

/// A thread of its own for one worker's rules, used when plugin state waits
/// on the network (``PluginStateStore/blocks``).
///
/// Rules are synchronous Lua, and `state.incr` must answer inside the rule's
/// call. On Swift's shared concurrency threads, a rule waiting for a database
/// row that another event holds could take the last free thread, and that
/// event could then never run on to commit and let the row go. Here a rule
/// may wait: it blocks only its worker's own thread. The event stays one
/// task, so what it carries in task-locals (a store's transaction) comes along.
final class RuleThread: TaskExecutor {
  /// A serial queue: libdispatch gives it a thread outside the width-limited
  /// pool Swift's concurrency threads come from.
  private let queue: DispatchQueue

  init(label: String) {
    queue = DispatchQueue(label: label)
  }

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
  }
}
