import ParleyLua
import Testing

@Suite("The sandbox a rule runs in")
struct SandboxTests {
  static let forbiddenGlobals = [
    "io", "os", "debug", "package", "require", "load", "loadfile", "dofile", "collectgarbage",
    "coroutine", "print", "rawset",
  ]

  @Test(
    "every forbidden global is refused by name, with the file and line", arguments: forbiddenGlobals
  )
  func forbiddenGlobal(name: String) throws {
    let box = try Sandbox()
    let error = try #require(
      box.failure("local x = 1\nreturn \(name)", chunk: "plugins/p/rules.lua"))
    #expect(error.kind == .forbidden)
    #expect(error.chunk == "plugins/p/rules.lua")
    #expect(error.line == 2)
    #expect(error.message.contains("'\(name)' is not available in the Parley sandbox"))
  }

  @Test("string.dump is not there, and says so")
  func stringDump() throws {
    let box = try Sandbox()
    let error = try #require(box.failure("return string.dump(function() end)"))
    #expect(error.kind == .forbidden)
    #expect(error.message.contains("'dump'"))
    #expect(try box.run("return ('x').dump") == [.nil])
  }

  @Test("the whitelisted base functions and libraries are there")
  func whitelist() throws {
    let box = try Sandbox()
    let names = [
      "assert", "error", "ipairs", "next", "pairs", "pcall", "select", "tonumber", "tostring",
      "type",
      "xpcall", "rawequal", "rawlen", "rawget", "setmetatable", "getmetatable",
    ]
    for name in names {
      #expect(try box.run("return type(\(name))") == ["function"], "\(name)")
    }
    for lib in ["string", "table", "math", "utf8"] {
      #expect(try box.run("return type(\(lib))") == ["table"], "\(lib)")
    }
    #expect(try box.run("return math.randomseed") == [.nil])
    #expect(try box.run("return string.format('%05.1f|%s', 3.14159, 'ok')") == ["003.1|ok"])
  }

  @Test("the string metatable is hidden and the string library behind it cannot be changed")
  func stringMetatable() throws {
    let box = try Sandbox()
    #expect(try box.run("return getmetatable('')") == ["protected"])
    let error = try #require(box.failure("setmetatable(getmetatable(''), {})"))
    #expect(error.kind == .runtime)
    // A plugin changing its own string table changes neither method calls nor other plugins.
    try box.run("string.upper = function() return 'hacked' end")
    #expect(try box.run("return ('abc'):upper()") == ["ABC"])
    let other = box.lua.makeEnvironment()
    #expect(
      try box.lua.run("return string.upper('abc')", chunkName: "other.lua", in: other) == ["ABC"])
  }

  @Test("one environment never sees another's globals")
  func isolation() throws {
    let box = try Sandbox()
    let other = box.lua.makeEnvironment()
    try box.run("secret = 'plugin A'; table.extra = 1")
    #expect(
      try box.lua.run("return secret, table.extra", chunkName: "b.lua", in: other) == [.nil, .nil])
    #expect(try box.run("return secret") == ["plugin A"])
    #expect(try box.run("return _G == _ENV") == [true])
  }

  @Test("addresses never leak through tostring or string.format")
  func noAddresses() throws {
    let box = try Sandbox()
    #expect(try box.run("return tostring({}), tostring(pairs)") == ["table", "function"])
    #expect(try box.run("return string.format('%s', {})") == ["table"])
    let error = try #require(box.failure("return string.format('%p', {})"))
    #expect(error.message.contains("'%p' is not available"))
    #expect(
      try box.run(
        "return tostring(setmetatable({}, {__tostring = function() return 'custom' end}))")
        == ["custom"])
  }

  @Test("__gc metamethods are refused, even a placeholder filled in later")
  func noFinalizers() throws {
    let box = try Sandbox()
    let error = try #require(box.failure("setmetatable({}, {__gc = true})"))
    #expect(error.message.contains("'__gc' is not available"))
    #expect(
      try box.run("local mt = {}; setmetatable({}, mt); mt.__gc = function() end; return 1") == [1])
  }

  @Test("math.random is repeatable from the host's seed")
  func seededRandom() throws {
    let box = try Sandbox()
    box.lua.seedRandom(7)
    let first = try box.run("return math.random(1, 1000000), math.random(1, 1000000)")
    box.lua.seedRandom(7)
    let second = try box.run("return math.random(1, 1000000), math.random(1, 1000000)")
    #expect(first == second)
    box.lua.seedRandom(8)
    #expect(try box.run("return math.random(1, 1000000), math.random(1, 1000000)") != first)
  }

  @Test("binary chunks are never loaded")
  func binaryChunk() throws {
    let box = try Sandbox()
    let error = try #require(box.failure("\u{1B}Lua\u{54}\u{00}rest"))
    #expect(error.kind == .binaryChunk)
  }

  @Test("sources over the size cap are refused before parsing")
  func sourceCap() throws {
    let lua = try LuaState(configuration: .init(maxSourceSize: 1000))
    let env = lua.makeEnvironment()
    #expect(throws: LuaError.self) {
      try lua.run(String(repeating: "-- comment\n", count: 200), chunkName: "big.lua", in: env)
    }
    do {
      try lua.run(String(repeating: "-- comment\n", count: 200), chunkName: "big.lua", in: env)
    } catch {
      #expect(error.kind == .sourceTooLarge)
    }
  }
}
