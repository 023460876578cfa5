import Foundation
import Parley
import Testing

@Suite("the lock behind the store's tables")
struct LockedTests {
  /// Two counters changed together: a section run by two threads at once
  /// would be seen with them apart, or lose an increment.
  private struct Pair {
    var first = 0
    var second = 0
    var seenApart = 0
  }

  @Test("threads meeting on the lock each hold it alone, and no change is lost")
  func mutualExclusion() {
    let locked = Locked(Pair())
    let threads = 4
    let rounds = 100_000
    let before = LockWaits.now()
    let done = DispatchGroup()
    for _ in 0..<threads {
      done.enter()
      Thread {
        for _ in 0..<rounds {
          locked.withLock { pair in
            if pair.first != pair.second { pair.seenApart += 1 }
            pair.first += 1
            pair.second += 1
          }
        }
        done.leave()
      }.start()
    }
    done.wait()
    let pair = locked.withLock { $0 }
    #expect(pair.first == threads * rounds)
    #expect(pair.second == threads * rounds)
    #expect(pair.seenApart == 0)
    #expect(LockWaits.now().waited > before.waited, "the threads never met on the lock")
  }

  @Test(
    "a waiter on a lock held long sleeps after a short spin, and gets the lock once it is let go")
  func longHoldEndsInSleep() async {
    let locked = Locked(0)
    let holding = DispatchSemaphore(value: 0)
    let before = LockWaits.now()
    let holder = Thread {
      locked.withLock { value in
        holding.signal()
        // Far longer than the spin (about 20 µs): the waiter must sleep.
        usleep(50_000)
        value = 1
      }
    }
    holder.start()
    holding.wait()
    let seen = locked.withLock { $0 }
    let after = LockWaits.now()
    #expect(seen == 1, "the waiter got the lock before the holder let it go")
    #expect(after.waited > before.waited)
    #expect(after.slept > before.slept, "the waiter spun for the whole hold instead of sleeping")
  }

  @Test(
    "a thread waiting on the condition wakes when signalled and sees what was set under the lock")
  func conditionWakesWaiter() {
    /// Read and written only under the condition's lock.
    final class Flag: @unchecked Sendable { var ready = false }
    let condition = Condition()
    let flag = Flag()
    let woke = DispatchSemaphore(value: 0)
    Thread {
      condition.lock()
      while !flag.ready { condition.wait() }
      condition.unlock()
      woke.signal()
    }.start()
    // Long enough for the waiter to be asleep on the condition, usually.
    usleep(20_000)
    condition.lock()
    flag.ready = true
    condition.unlock()
    condition.signal()
    #expect(woke.wait(timeout: .now() + 10) == .success, "the waiter was never woken")
  }
}
