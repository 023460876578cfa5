import Foundation
import Parley

/// A `parley host` process: transcript lines in, one JSON acknowledgement
/// per decision out.
final class HostProcess: @unchecked Sendable {
  enum Outcome: Sendable, Equatable {
    case decided(String)
    case failed(String)
    /// The process ended before it answered.
    case gone
  }

  let name: String
  private let process = Process()
  private let input = Pipe()
  private let output = Pipe()
  private let errors = Pipe()
  /// Lines written, answers waited for, answers received. Guarded by `lock`.
  private var written = 0
  private var waiting: [Int: CheckedContinuation<Outcome, Never>] = [:]
  private var ended = false
  private let lock = NSLock()
  private var acknowledged: [String] = []

  static var executable: URL {
    // The test bundle and the executables are built into the same folder.
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("parley")
  }

  init(name: String, arguments: [String]) throws {
    self.name = name
    process.executableURL = Self.executable
    process.arguments = ["host"] + arguments
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    Thread { [self] in readAnswers() }.start()
  }

  /// Every decision this host acknowledged so far, timers included.
  var acknowledgedDecisions: [String] {
    lock.lock()
    defer { lock.unlock() }
    return acknowledged
  }

  /// Writes one line and waits for the host's answer to it.
  func send(_ line: String) async -> Outcome {
    await withCheckedContinuation { continuation in
      lock.lock()
      if ended {
        lock.unlock()
        continuation.resume(returning: .gone)
        return
      }
      written += 1
      let number = written
      waiting[number] = continuation
      input.fileHandleForWriting.write(Data((line + "\n").utf8))
      lock.unlock()
    }
  }

  /// Ends the input; the host finishes what it has and exits.
  func finish() async -> Int32 {
    try? input.fileHandleForWriting.close()
    return await withCheckedContinuation { continuation in
      DispatchQueue.global().async {
        self.process.waitUntilExit()
        continuation.resume(returning: self.process.terminationStatus)
      }
    }
  }

  func kill() {
    Foundation.kill(process.processIdentifier, SIGKILL)
  }

  var standardError: String {
    String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self)
  }

  private func readAnswers() {
    let handle = output.fileHandleForReading
    var buffer = Data()
    while true {
      let chunk = handle.availableData
      if chunk.isEmpty { break }
      buffer.append(chunk)
      while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
        let line = buffer[buffer.startIndex..<newline]
        buffer = Data(buffer[buffer.index(after: newline)...])
        answer(line)
      }
    }
    lock.lock()
    ended = true
    let orphans = waiting
    waiting = [:]
    lock.unlock()
    for continuation in orphans.values { continuation.resume(returning: .gone) }
  }

  private func answer(_ line: Data) {
    guard let fields = try? JSONSerialization.jsonObject(with: line) as? [String: Any] else {
      return
    }
    let outcome: Outcome =
      if let decision = fields["decision"] as? String {
        .decided(decision)
      } else {
        .failed(fields["error"] as? String ?? "?")
      }
    lock.lock()
    if case .decided(let id) = outcome { acknowledged.append(id) }
    let number = fields["line"] as? Int
    let continuation = number.flatMap { waiting.removeValue(forKey: $0) }
    lock.unlock()
    continuation?.resume(returning: outcome)
  }
}
