import Foundation
import Parley
import Testing

@testable import ParleySQLite

@Suite("Durability")
struct CrashTests {
  static var child: URL {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("SQLiteCrashChild")
  }

  // A killed process loses nothing even without a sync per commit (the
  // log is in the OS's cache); a power loss would. Only the writer's own
  // setting shows which it gets.
  @Test("the writer syncs the log at every commit, in a new file and a reopened one")
  func syncedCommits() throws {
    let fixture = try Fixture()
    for _ in 0..<2 {
      let store = try SQLiteStore(path: fixture.database)
      let setting = try store.pool.writeWithoutTransaction { db in
        try Int.fetchOne(db, sql: "PRAGMA synchronous")
      }
      #expect(
        setting == 2, "PRAGMA synchronous is \(setting.map(String.init) ?? "nil"), not FULL (2)")
    }
  }

  @Test("every decision a killed writer acknowledged is in the file when it reopens")
  func killedWriter() async throws {
    let fixture = try Fixture()
    var acknowledged: [String] = []
    var generator = SystemRandomNumberGenerator()
    for run in 0..<4 {
      let process = Process()
      process.executableURL = Self.child
      process.arguments = [fixture.database, fixture.plugins.path, "run\(run)"]
      let output = Pipe()
      process.standardOutput = output
      process.standardError = FileHandle.nullDevice
      try process.run()
      // Kill it at a random point after it has acknowledged 10 to 400 events.
      let target = Int.random(in: 10...400, using: &generator)
      var seen = 0
      var buffer = Data()
      let reader = output.fileHandleForReading
      while seen < target {
        let chunk = reader.availableData
        if chunk.isEmpty { break }
        buffer.append(chunk)
        seen = String(decoding: buffer, as: UTF8.self).components(separatedBy: "acked ").count - 1
      }
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      buffer.append(reader.readDataToEndOfFile())
      let lines = String(decoding: buffer, as: UTF8.self).split(separator: "\n")
      acknowledged += lines.filter { $0.hasPrefix("acked ") }.map { String($0.dropFirst(6)) }
      #expect(process.terminationReason == .uncaughtSignal)
    }
    #expect(acknowledged.count >= 40)
    let store = try SQLiteStore(path: fixture.database)
    let decisions = try await store.decisions(community: "c", limit: 1_000_000)
    var decided: Set<String> = []
    for decision in decisions {
      if case .messagePosted(let message) = decision.event { decided.insert(message.id) }
    }
    let lost = acknowledged.filter { !decided.contains($0) }
    #expect(lost.isEmpty, "acknowledged but lost: \(lost.prefix(10))")
    // The file is consistent: every stored decision's message is stored too.
    for id in decided.prefix(50) { #expect(try await store.message(id) != nil) }
  }
}
