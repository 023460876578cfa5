import ParleyLua
import Testing

@Suite("Errors people can act on")
struct ErrorTests {
  @Test("a syntax error reads like Lua's, with the plugin file and line")
  func syntaxError() throws {
    let box = try Sandbox()
    let source = "local a = 1\n\n\n\n\n\n\n\n\n\nlocal b = 2\nif a then then end\n"
    let error = try #require(box.failure(source, chunk: "plugins/civility/rules.lua"))
    #expect(error.kind == .syntax)
    #expect(error.chunk == "plugins/civility/rules.lua")
    #expect(error.line == 12)
    #expect(error.description == "plugins/civility/rules.lua:12: unexpected symbol near 'then'")
  }

  @Test("a long chunk name survives Lua's shortening")
  func longChunkName() throws {
    let box = try Sandbox()
    let chunk = "plugins/a-very-long-plugin-name-for-testing/rules/with/many/folders/rules.lua"
    let error = try #require(box.failure("local x = nil\nreturn x.field", chunk: chunk))
    #expect(error.chunk == chunk)
    #expect(error.line == 2)
  }

  @Test("a runtime error carries message, line and traceback")
  func runtimeError() throws {
    let box = try Sandbox()
    let error = try #require(
      box.failure(
        "local function inner() error('boom') end\nlocal function outer() inner() end\nouter()"))
    #expect(error.kind == .runtime)
    #expect(error.message == "boom")
    #expect(error.line == 1)
    #expect(error.traceback?.contains("test.lua:2") == true)
  }

  @Test("an error object that is a table is described without calling its metamethods")
  func tableErrorObject() throws {
    let box = try Sandbox()
    let error = try #require(
      box.failure("error(setmetatable({}, {__tostring = function() while true do end end}))"))
    #expect(error.kind == .runtime)
    #expect(error.message.contains("error object is a table value"))
  }

  @Test("deep nesting in source is a syntax error with a line")
  func deepNesting() throws {
    let box = try Sandbox()
    let source =
      "return " + String(repeating: "(", count: 1000) + "1" + String(repeating: ")", count: 1000)
    let error = try #require(box.failure(source))
    #expect(error.kind == .syntax)
    #expect(error.chunk == "test.lua")
    #expect(error.message.contains("nested too deeply"))
  }
}
