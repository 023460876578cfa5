// The child of the SQLite crash test: handles events against a database and
// prints "acked <message id>" after each decision returns, until it is killed.
//
//   SQLiteCrashChild DATABASE PLUGINS RUN

import Foundation
import Parley
import ParleySQLite

let arguments = CommandLine.arguments
guard arguments.count == 4 else {
  FileHandle.standardError.write(Data("usage: SQLiteCrashChild DATABASE PLUGINS RUN\n".utf8))
  exit(2)
}
let store = try SQLiteStore(path: arguments[1])
let parley = try await Parley(
  plugins: URL(fileURLWithPath: arguments[2]), store: store, configuration: .init(workers: 2))
let run = arguments[3]
try await parley.createCommunity(
  Community(id: "c", name: "C", plugins: [EnabledPlugin(name: "basic")]))
try await parley.addMember(Member(id: "ada", community: "c", displayName: "Ada", joinedAt: Date()))
for t in 0..<4 {
  try await parley.openThread(
    DialogueThread(id: "t\(t)", community: "c", title: "T", opener: "ada"))
}
/// Writes a line straight to standard output: printed means acknowledged.
func say(_ line: String) {
  FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

say("ready")
var i = 0
while true {
  // Several in flight at once, so group commits are what gets interrupted.
  let batch = (0..<8).map { k in
    let id = "\(run)-\(i + k)"
    return (
      id,
      parley.submit(
        .messagePosted(
          Message(
            id: id, thread: "t\((i + k) % 4)", author: "ada", text: "hello \(i + k)",
            createdAt: Date())))
    )
  }
  for (id, task) in batch {
    _ = try await task.value
    say("acked \(id)")
  }
  i += 8
}
