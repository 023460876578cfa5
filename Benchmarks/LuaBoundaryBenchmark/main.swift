// Measures what every event will pay at the Lua boundary: push a 12-field
// record, call a Lua function that reads three fields, read its integer result.
// The same loop written straight against the C API runs in the same process as
// the baseline, and the ratio between the two is the figure to watch.
//
//   swift run -c release LuaBoundaryBenchmark [--quick] [--iterations N]

import CBoundaryBaseline
import Foundation
import ParleyLua

let reader = """
  function reader(message)
    local n = #message.text
    if message.sponsored then n = n + 1 end
    return n + message.trust
  end
  """

var iterations = 1_000_000
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
  switch argument {
  case "--quick": iterations = 100_000
  case "--iterations":
    guard let text = arguments.popFirst(), let value = Int(text), value > 0 else {
      FileHandle.standardError.write(Data("--iterations needs a positive integer\n".utf8))
      exit(2)
    }
    iterations = value
  default:
    FileHandle.standardError.write(
      Data("unknown argument '\(argument)'; use --quick or --iterations N\n".utf8))
    exit(2)
  }
}

func parleyLoop(iterations: Int) throws -> (sum: Int64, nanoseconds: Int64) {
  let lua = try LuaState()
  let environment = lua.makeEnvironment()
  try lua.run(reader, chunkName: "benchmark/reader.lua", in: environment)
  guard let function = lua.reference(to: "reader", in: environment) else {
    throw LuaError(kind: .runtime, message: "benchmark/reader.lua did not define reader")
  }
  let text = "Has anyone tried the new firmware? My router keeps rebooting."
  let budget = LuaBudget(instructions: 100_000, time: .seconds(1))
  var sum: Int64 = 0
  let clock = ContinuousClock()
  let start = clock.now
  for i in 0..<iterations {
    sum += try lua.call(
      function, budget: budget,
      arguments: { stack in
        stack.newTable(fields: 12)
        stack.push(i)
        stack.setField("id")
        stack.push("thread-42" as StaticString)
        stack.setField("thread")
        stack.push("member-7" as StaticString)
        stack.setField("author")
        stack.push(text)
        stack.setField("text")
        stack.push(1_764_100_000 + i)
        stack.setField("created_at")
        stack.pushNil()
        stack.setField("reply_to")
        stack.push(i % 7 == 0)
        stack.setField("sponsored")
        stack.push(false)
        stack.setField("automated")
        stack.push("member" as StaticString)
        stack.setField("role")
        stack.push(2)
        stack.setField("trust")
        stack.push("community-1" as StaticString)
        stack.setField("community")
        stack.push(0.25)
        stack.setField("score")
        return 1
      },
      results: { stack, _ in stack.integer(at: -1) ?? 0 })
  }
  let elapsed = clock.now - start
  let nanoseconds =
    elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
  return (sum, nanoseconds)
}

func baselineLoop(iterations: Int) -> (sum: Int64, nanoseconds: Int64) {
  var nanoseconds: Int64 = 0
  let sum = baseline_push_and_call(reader, Int64(iterations), &nanoseconds)
  return (sum, nanoseconds)
}

do {
  // One warm-up round each, so neither pays for first-touch page faults.
  _ = baselineLoop(iterations: iterations / 10)
  _ = try parleyLoop(iterations: iterations / 10)
  let baseline = baselineLoop(iterations: iterations)
  let parley = try parleyLoop(iterations: iterations)
  guard baseline.sum == parley.sum else {
    print(
      "the two loops disagree: C API \(baseline.sum), Parley \(parley.sum); the benchmark is broken"
    )
    exit(1)
  }
  let perCallC = Double(baseline.nanoseconds) / Double(iterations)
  let perCallParley = Double(parley.nanoseconds) / Double(iterations)
  print("push a 12-field record + call a Lua function reading 3 fields, \(iterations) calls")
  print(String(format: "  C API directly : %7.1f ns/call", perCallC))
  print(
    String(
      format: "  ParleyLua      : %7.1f ns/call  (%.2fx the C API)", perCallParley,
      perCallParley / perCallC))
} catch {
  print("benchmark failed: \(error)")
  exit(1)
}
