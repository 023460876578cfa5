import Foundation
import Parley
import Testing

@testable import ParleySQLite

/// The group commit's writer and the log's syncer each run one loop over
/// `Batches`: an event added while a batch is handled must go in a later
/// batch, never be dropped, and never start a second loop.
@Suite("Batches")
struct BatchesTests {
  @Test("the first add starts the loop, adds while it runs do not, and take ends it")
  func loopLifetime() {
    let batches = Batches<Int>()
    #expect(batches.add(1))
    #expect(!batches.add(contentsOf: [2, 3]))
    #expect(batches.take() == [1, 2, 3])
    #expect(!batches.add(4))
    #expect(batches.take() == [4])
    #expect(batches.take() == nil)
    #expect(batches.add(5), "after take returned nil, the next add starts a new loop")
  }

  @Test(
    "items added from many threads are each handled once, in order per thread, by one loop at a time"
  )
  func concurrentAdds() async {
    let batches = Batches<Int>()
    let handled = Locked<[Int]>([])
    // Loops run on a concurrent queue, so two would overlap if a second
    // were ever started.
    let loops = Locked((started: 0, running: 0, mostAtOnce: 0))
    let done = DispatchGroup()
    let threads = 8
    let perThread = 2_000
    DispatchQueue.concurrentPerform(iterations: threads) { thread in
      for i in 0..<perThread where batches.add(thread * perThread + i) {
        done.enter()
        DispatchQueue.global().async {
          loops.withLock {
            $0.started += 1
            $0.running += 1
            $0.mostAtOnce = max($0.mostAtOnce, $0.running)
          }
          while let batch = batches.take() {
            handled.withLock { $0.append(contentsOf: batch) }
          }
          loops.withLock { $0.running -= 1 }
          done.leave()
        }
      }
    }
    await withCheckedContinuation { continuation in
      done.notify(queue: .global()) { continuation.resume() }
    }
    let all = handled.withLock { $0 }
    #expect(all.count == threads * perThread)
    #expect(Set(all).count == threads * perThread)
    for thread in 0..<threads {
      let mine = all.filter { $0 / perThread == thread }
      #expect(mine == mine.sorted(), "thread \(thread)'s items were handled out of order")
    }
    let counted = loops.withLock { $0 }
    #expect(counted.started >= 1)
    #expect(counted.mostAtOnce == 1, "two loops ran at once")
  }
}
