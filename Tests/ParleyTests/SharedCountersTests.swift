import Foundation
import Parley
import Testing

/// What every event reads or draws once, from any worker, without a lock:
/// the manual clock's time and a fresh decision id.
@Suite("Shared counters")
struct SharedCountersTests {
  @Test("a manual clock moves only when told, never back, and keeps the exact time")
  func manualClockMovesWhenTold() {
    let start = Date(timeIntervalSinceReferenceDate: 812_345_678.123_456_7)
    let clock = ManualClock(start)
    #expect(clock.now == start)
    clock.advance(minutes: 1.5)
    #expect(clock.now == start.addingTimeInterval(90))
    clock.set(start)  // earlier than now: ignored
    #expect(clock.now == start.addingTimeInterval(90))
    clock.set(start.addingTimeInterval(3600))
    #expect(clock.now == start.addingTimeInterval(3600))
  }

  @Test("threads reading a manual clock while it moves never see it go back, and no move is lost")
  func manualClockUnderConcurrentReaders() async {
    let clock = ManualClock(Date(timeIntervalSinceReferenceDate: 0))
    let forward = await withTaskGroup(of: Bool.self) { group in
      for _ in 0..<4 {
        group.addTask {
          var last = Date(timeIntervalSinceReferenceDate: 0)
          for _ in 0..<20_000 {
            let now = clock.now
            if now < last { return false }
            last = now
          }
          return true
        }
      }
      for _ in 0..<2 {
        group.addTask {
          for _ in 0..<1_000 { clock.advance(minutes: 1) }
          return true
        }
      }
      return await group.allSatisfy { $0 }
    }
    #expect(forward)
    #expect(clock.now == Date(timeIntervalSinceReferenceDate: 120_000))
  }

  @Test("decision ids drawn on many threads at once are all different")
  func decisionIDsAreUnique() async {
    let drawn = await withTaskGroup(of: [String].self) { group in
      for _ in 0..<4 {
        group.addTask { (0..<5_000).map { _ in Decision.newID() } }
      }
      return await group.reduce(into: []) { $0 += $1 }
    }
    #expect(drawn.count == 20_000)
    #expect(Set(drawn).count == 20_000)
    #expect(drawn.allSatisfy { $0.count == 26 && $0.hasPrefix("d-") })
  }
}
