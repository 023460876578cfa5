import ParleyLua
import Testing

struct TestFailure: Error, CustomStringConvertible {
  let description: String
}

@Suite("Swift functions called from Lua")
struct BoundaryTests {
  func makeSandbox(memoryLimit: Int = 64 << 20) throws -> Sandbox {
    try Sandbox(memoryLimit: memoryLimit) { lua in
      lua.register("fail", in: "host") { _ in throw TestFailure(description: "the host refused") }
      lua.register("add", in: "host") { args in
        .integer(try args.integer(1) + args.integer(2))
      }
      lua.register("echo") { args in try args.value(1) }
      lua.register("big") { args in
        // A result far larger than Lua code could build under the ceiling.
        .array(
          Array(
            repeating: .string(String(repeating: "y", count: 1000)), count: Int(try args.integer(1))
          ))
      }
    }
  }

  @Test("a Swift function is callable as a global and in a module table")
  func callable() throws {
    let box = try makeSandbox()
    #expect(try box.run("return host.add(40, 2), echo('hi')") == [42, "hi"])
  }

  @Test("a Swift error reaches Lua as an ordinary error that pcall catches")
  func swiftErrorCaught() throws {
    let box = try makeSandbox()
    let results = try box.run(
      "local ok, message = pcall(function() host.fail() end)\nreturn ok, message",
      chunk: "plugins/p/rules.lua")
    #expect(results.first == false)
    #expect(results.last?.stringValue == "plugins/p/rules.lua:1: host.fail: the host refused")
  }

  @Test("an uncaught Swift error ends the call with its position")
  func swiftErrorUncaught() throws {
    let box = try makeSandbox()
    let error = try #require(box.failure("\nhost.add('x', 1)", chunk: "r.lua"))
    #expect(error.kind == .runtime)
    #expect(error.line == 2)
    #expect(error.message == "host.add: bad argument #1 (integer expected, got string)")
    #expect(try box.answersNormally())
  }

  @Test("Swift errors caught by pcall under a tight memory ceiling, many times over")
  func swiftErrorUnderMemoryPressure() throws {
    let box = try makeSandbox(memoryLimit: 4 << 20)
    let source = """
      local hog = {}
      local ok = pcall(function() for i = 1, math.huge do hog[i] = {i} end end)
      hog = nil
      local caught = 0
      for i = 1, 200 do
        if not pcall(host.fail) then caught = caught + 1 end
      end
      return caught
      """
    // The bomb trips the (sticky) memory budget: the call fails as a whole,
    // and the host's pushes inside host.fail never trip the ceiling.
    let error = try #require(box.failure(source))
    #expect(error.kind == .memoryBudget)
    #expect(try box.answersNormally())
    // Without the bomb, every error is caught.
    #expect(
      try box.run(
        "local c = 0 for i = 1, 200 do if not pcall(host.fail) then c = c + 1 end end return c")
        == [200])
  }

  @Test("host pushes are not stopped by the ceiling, even near it")
  func hostPushesNearCeiling() throws {
    let box = try makeSandbox(memoryLimit: 4 << 20)
    // 6,000 strings of 1 KB: more than the 4 MiB the rule itself may hold.
    #expect(try box.run("local t = big(6000) return #t") == [6000])
    box.lua.collectGarbage()
    #expect(try box.answersNormally())
  }
}

@Suite("Values crossing the boundary")
struct ValueTests {
  func roundTrip(_ value: LuaValue) throws -> LuaValue {
    let box = try Sandbox()
    try box.run("function identity(v) return v end")
    return try box.lua.call(global: "identity", in: box.env, with: [value]).first ?? .nil
  }

  @Test(
    "scalars come back unchanged",
    arguments: [
      LuaValue.nil, true, false, 0, -1, 9_007_199_254_740_993, .integer(.max), .integer(.min), 3.25,
      1e300,
    ])
  func scalars(value: LuaValue) throws {
    #expect(try roundTrip(value) == value)
  }

  @Test("-0.0 and NaN keep their identity")
  func specialFloats() throws {
    guard case .number(let negativeZero) = try roundTrip(.number(-0.0)) else {
      Issue.record("not a float")
      return
    }
    #expect(negativeZero == 0 && negativeZero.sign == .minus)
    guard case .number(let nan) = try roundTrip(.number(.nan)) else {
      Issue.record("not a float")
      return
    }
    #expect(nan.isNaN)
    #expect(try roundTrip(.number(2.0)) == .number(2.0))
  }

  @Test("strings keep unicode, embedded zeros and invalid UTF-8 as bytes")
  func strings() throws {
    #expect(try roundTrip("héllo wörld 👋 日本") == "héllo wörld 👋 日本")
    let zeros = LuaValue.string(LuaString(bytes: [0x61, 0x00, 0x62, 0x00]))
    #expect(try roundTrip(zeros) == zeros)
    let invalid = LuaValue.string(LuaString(bytes: [0xFF, 0xFE, 0x80, 0x41]))
    #expect(try roundTrip(invalid) == invalid)
    let box = try Sandbox()
    #expect(try box.run("return #'a\\0b', 'caf\\u{E9}'") == [3, "café"])
  }

  @Test("arrays and maps, nested, come back unchanged")
  func tables() throws {
    let nested: LuaValue = [
      "id": 42, "tags": ["faq", "billing"], "author": ["name": "Ada", "trust": 2, "staff": false],
      "scores": [1.5, 2.5], "matrix": [[1, 2], [3, 4]], 7: "seven",
    ]
    #expect(try roundTrip(nested) == nested)
    #expect(try roundTrip([]) == .map([:]))
  }

  @Test("a table with a cycle is an error, not endless recursion")
  func cycles() throws {
    let box = try Sandbox()
    let error = try #require(box.failure("local t = {} t.self = t return t"))
    #expect(error.kind == .invalidValue)
    #expect(error.message.contains("cycle"))
    // A table shared twice (no cycle) is fine.
    #expect(try box.run("local s = {1} return {a = s, b = s}") == [["a": [1], "b": [1]]])
  }

  @Test("reading results never runs metamethods")
  func rawReads() throws {
    let box = try Sandbox()
    let results = try box.run(
      "return setmetatable({x = 1}, {__index = function() while true do end end, __pairs = error, __len = error})"
    )
    #expect(results == [["x": 1]])
  }

  @Test("functions are kept by reference across calls")
  func references() throws {
    let box = try Sandbox()
    try box.run("local n = 0 function counter() n = n + 1 return n end")
    let counter = try #require(box.lua.reference(to: "counter", in: box.env))
    #expect(try box.lua.call(counter) == [1])
    #expect(try box.lua.call(counter) == [2])
    box.lua.release(counter)
    #expect(try box.run("return counter()") == [3])
  }

  @Test("a reference replaced in place keeps the new value, and its slot is never handed out again")
  func replacedReference() throws {
    let box = try Sandbox()
    let stack = box.lua.stack
    stack.push("first")
    let slot = box.lua.popReference()
    stack.push("second")
    box.lua.replace(slot)
    // New references go elsewhere: the slot is still taken.
    let others = (0..<8).map { i in
      stack.push("other \(i)")
      return box.lua.popReference()
    }
    #expect(!others.contains(slot))
    stack.push(slot)
    #expect(stack.string(at: -1) == "second")
    stack.pop()
    for other in others { box.lua.release(other) }
    box.lua.release(slot)
  }

  @Test("a host call runs without the instruction budget but under the memory ceiling")
  func hostCall() throws {
    let box = try Sandbox(
      memoryLimit: 4 << 20, budget: LuaBudget(instructions: 1_000, time: .seconds(2)))
    try box.run(
      """
      function spin() local n = 0 for i = 1, 100000 do n = n + i end return n end
      function grow(n) local t = {} for i = 1, n do t[i] = {} end return #t end
      """, budget: .default)
    let spin = try #require(box.lua.reference(to: "spin", in: box.env))
    let grow = try #require(box.lua.reference(to: "grow", in: box.env))
    let sum = { (stack: LuaStack, count: Int32) throws(LuaError) -> Int64? in
      stack.integer(at: -count)
    }
    // A rule's call stops at its budget; the host's own code is not counted.
    #expect(throws: LuaError.self) {
      try box.lua.call(spin, arguments: { _ in 0 }, results: sum)
    }
    #expect(try box.lua.callHost(spin, arguments: { _ in 0 }, results: sum) == 5_000_050_000)
    let error = #expect(throws: LuaError.self) {
      try box.lua.callHost(
        grow,
        arguments: { stack in
          stack.push(Int64(1_000_000))
          return 1
        }, results: sum)
    }
    #expect(error?.kind == .memoryBudget)
    #expect(try box.answersNormally())
  }

  @Test("the fast path pushes a record field by field and reads results raw")
  func fastPath() throws {
    let box = try Sandbox()
    try box.run("function read(r) return r.id + #r.text, r.flag end")
    let reader = try #require(box.lua.reference(to: "read", in: box.env))
    let (sum, flag) = try box.lua.call(
      reader,
      arguments: { stack in
        stack.newTable(fields: 3)
        stack.push(40)
        stack.setField("id")
        stack.push("ab")
        stack.setField("text")
        stack.push(true)
        stack.setField("flag")
        return 1
      },
      results: { stack, count in (stack.integer(at: -count), stack.boolean(at: -1)) })
    #expect(sum == 42)
    #expect(flag == true)
  }
}
