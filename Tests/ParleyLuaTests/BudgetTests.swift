import ParleyLua
import Testing

/// Each runaway is stopped with the right kind, within the deadline, and the
/// state then answers a normal call.
@Suite("Budgets stop runaway rules")
struct BudgetTests {
  /// Stops that do not depend on the machine's speed (instructions, memory, the
  /// stack) must come first, so the deadline here is only a backstop: under
  /// AddressSanitizer on a loaded two-core CI machine, some runaways take
  /// half a second to reach their instruction budget.
  static let tight = LuaBudget(instructions: 5_000_000, time: .seconds(2))
  /// How long a stopped call may take: the deadline plus generous slack for a loaded CI machine.
  static let ceiling = Duration.seconds(5)

  func expectStopped(
    _ source: String, as kinds: Set<LuaError.Kind>, memoryLimit: Int = 64 << 20,
    budget: LuaBudget = tight
  ) throws {
    let box = try Sandbox(memoryLimit: memoryLimit)
    let clock = ContinuousClock()
    var error: LuaError?
    let elapsed = clock.measure { error = box.failure(source, budget: budget) }
    let stopped = try #require(error, "the code was not stopped")
    #expect(kinds.contains(stopped.kind), "stopped as \(stopped.kind): \(stopped)")
    #expect(elapsed < Self.ceiling, "took \(elapsed)")
    #expect(try box.answersNormally())
  }

  @Test("an infinite loop hits the instruction budget")
  func infiniteLoop() throws {
    try expectStopped("while true do end", as: [.instructionBudget])
  }

  @Test("an infinite loop hits the deadline when instructions are plentiful")
  func deadline() throws {
    try expectStopped(
      "local x = 0 while true do x = x + 1 end", as: [.timeBudget],
      budget: LuaBudget(instructions: .max, time: .milliseconds(100)))
  }

  @Test("catching the budget error with pcall does not escape it")
  func pcallLoop() throws {
    try expectStopped(
      "while true do pcall(function() while true do end end) end", as: [.instructionBudget])
    try expectStopped(
      "local ok = pcall(function() while true do end end) return 'escaped'",
      as: [.instructionBudget])
  }

  @Test("a __close handler that loops while the error unwinds is stopped too")
  func closeHandler() throws {
    try expectStopped(
      """
      local guard <close> = setmetatable({}, {__close = function() while true do end end})
      while true do end
      """, as: [.instructionBudget])
  }

  @Test("xpcall with a handler that loops or recurses is stopped")
  func xpcallHandler() throws {
    try expectStopped(
      "xpcall(function() error('x') end, function() while true do end end) while true do end",
      as: [.instructionBudget])
    let box = try Sandbox()
    let error = try #require(
      box.failure(
        "local function h(e) error(e) end xpcall(function() error('x') end, h) error('after')"))
    #expect(error.kind == .runtime)
    #expect(try box.answersNormally())
  }

  @Test("xpcall still passes arguments, results and handled errors through")
  func xpcallSemantics() throws {
    let box = try Sandbox()
    #expect(
      try box.run("return xpcall(function(a, b) return a + b, 'ok' end, error, 40, 2)") == [
        true, 42, "ok",
      ])
    #expect(
      try box.run(
        "return xpcall(function() error({code = 7}) end, function(e) return e.code * 6 end)")
        == [false, 42])
  }

  @Test("deep recursion hits Lua's stack limit or the memory ceiling")
  func deepRecursion() throws {
    try expectStopped(
      "local function f(n) return 1 + f(n + 1) end return f(1)",
      as: [.stackOverflow, .memoryBudget],
      // This recursion took about a second to be stopped under
      // AddressSanitizer with both cores loaded, and more than half a second in CI.
      budget: LuaBudget(instructions: 5_000_000, time: .seconds(4)))
  }

  @Test("a table-growth memory bomb hits the memory ceiling")
  func tableBomb() throws {
    try expectStopped(
      "local t = {} for i = 1, math.huge do t[i] = {i, i, i} end", as: [.memoryBudget],
      memoryLimit: 16 << 20, budget: LuaBudget(instructions: .max, time: .seconds(2)))
  }

  @Test("catching the out-of-memory error with pcall does not escape it")
  func memoryPcall() throws {
    try expectStopped(
      """
      local keep = {}
      for i = 1, 100 do
        pcall(function() local t = {} for j = 1, math.huge do t[j] = j end end)
        keep[i] = i
      end
      return 'escaped'
      """, as: [.memoryBudget], memoryLimit: 8 << 20,
      budget: LuaBudget(instructions: .max, time: .seconds(2)))
  }

  @Test(
    "string.rep bombs stop at once",
    arguments: [
      "return string.rep('x', 1e9)",
      "return ('abc'):rep(1e12, ',')",
      "local s = 'x' while true do s = s .. s end",
    ])
  func repBomb(source: String) throws {
    try expectStopped(source, as: [.memoryBudget, .runtime], memoryLimit: 16 << 20)
  }

  @Test("string.rep of an empty string a huge number of times is instant")
  func emptyRep() throws {
    let box = try Sandbox()
    #expect(try box.run("return #string.rep('', 1e15)") == [0])
  }

  /// Each subject holds the character the pattern needs, so the matcher
  /// cannot pass over the subject (see the next test) and must backtrack.
  @Test(
    "pathological patterns stop within the budget",
    arguments: [
      "string.find(string.rep('a', 100000) .. 'x', '.-.-.-.-.-xx')",
      "string.match(string.rep('a', 3000) .. 'x', '.-.-.-.-.-.-xx')",
      "string.gsub(string.rep('a', 5000) .. 'x', '(.-)(.-)(.-)xx', '%1')",
      "for w in string.gmatch(string.rep('ab', 5000) .. 'z', '.-.-.-zz') do end",
      "string.find(string.rep('a', 100000) .. 'b', string.rep('a?', 50) .. string.rep('a', 50) .. 'bb')",
      "string.find(string.rep('a', 100000), '.-.-.-.-.-%d')",
    ])
  func pathologicalPattern(source: String) throws {
    try expectStopped(source, as: [.instructionBudget, .timeBudget])
  }

  @Test("a subject without a character every match needs costs a scan, not a search")
  func requiredCharacterMissing() throws {
    let box = try Sandbox()
    // Each of these, tried at every position, charges millions of steps.
    let results = try box.run(
      """
      local text = string.rep('a', 100000)
      local found = string.find(text, '.-.-.-.-.-x')
      local matched = string.match(text, '(.-)(.-)(.-)x')
      local _, replaced = string.gsub(text, '.-.-.-x', '')
      local seen = 0
      for _ in string.gmatch(text, '.-.-.-x') do seen = seen + 1 end
      return found == nil, matched == nil, replaced, seen
      """, budget: LuaBudget(instructions: 200_000, time: .seconds(2)))
    #expect(results == [.boolean(true), .boolean(true), .integer(0), .integer(0)])
  }

  @Test("table loops in C are charged to the budget")
  func tableLoops() throws {
    try expectStopped(
      "local t = setmetatable({}, {__len = function() return 1 << 40 end}) table.insert(t, 1, 'x')",
      as: [.instructionBudget])
    try expectStopped("table.move({}, 1, math.maxinteger - 1, 2)", as: [.instructionBudget])
    try expectStopped(
      "local t = setmetatable({}, {__len = function() return 1 << 40 end}) table.remove(t, 1)",
      as: [.instructionBudget])
  }

  @Test("gmatch called again after 'pattern too complex' does not crash")
  func gmatchAfterError() throws {
    let box = try Sandbox()
    let source = """
      local it = string.gmatch(string.rep('a', 300), string.rep('(a?)', 1) .. string.rep('a?', 250) .. 'b')
      local ok1 = pcall(it)
      local ok2 = pcall(it)
      return ok1, ok2
      """
    let results = try box.run(source)
    #expect(results.count == 2)
    #expect(try box.answersNormally())
  }

  @Test("the budget is per call: a fresh call gets a fresh budget")
  func budgetResets() throws {
    let box = try Sandbox()
    let budget = LuaBudget(instructions: 100_000, time: .seconds(1))
    try box.run("function work() local x = 0 for i = 1, 20000 do x = x + i end return x end")
    for _ in 0..<20 {
      #expect(try box.lua.call(global: "work", in: box.env, budget: budget) == [200_010_000])
    }
  }

  @Test(
    "edge cases give a clear error or a result",
    arguments: [
      "return 1 >> math.mininteger",
      "return table.concat({}, '', 1, math.maxinteger)",
      "return table.unpack({}, 1, 1e8)",
      "return utf8.len('\\xff\\xfe')",
      "return utf8.codepoint('\\xff')",
      "for i = 1.0, math.huge do end",
      "local s = setmetatable({}, {__concat = function(a, b) return a .. b end}) return s .. 'x'",
      "return string.gsub('abc', '%w', function(c) return string.gsub(c, '.', '%0%0') end)",
    ])
  func edgeCases(source: String) throws {
    let box = try Sandbox()
    let clock = ContinuousClock()
    let elapsed = clock.measure { _ = box.failure(source, budget: Self.tight) }
    #expect(elapsed < Self.ceiling)
    #expect(try box.answersNormally())
  }
}
