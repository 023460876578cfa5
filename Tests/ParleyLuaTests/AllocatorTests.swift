import ParleyLua
import Testing

/// The state's allocator serves small blocks from free lists by size class
/// (`parley_blocks.c`) and larger ones from malloc; a block that grows or
/// shrinks may move between the two.
@Suite("The state's allocator")
struct AllocatorTests {
  @Test("what Lua stores survives every resize: tables and strings grown and shrunk across sizes")
  func contentsSurviveResizes() throws {
    let sandbox = try Sandbox()
    let results = try sandbox.run(
      """
      -- An array part that grows one element at a time, through every small
      -- size and past them.
      local t = {}
      for i = 1, 3000 do t[i] = i * 3 end
      for i = 1, 3000 do
        if t[i] ~= i * 3 then error("array slot " .. i .. " holds " .. tostring(t[i])) end
      end
      t = nil
      -- A hash part that grows, holding strings of every length up to 400.
      local h = {}
      for i = 1, 800 do h["k" .. i] = string.rep(string.char(65 + i % 26), i % 400) end
      for i = 1, 800 do
        if h["k" .. i] ~= string.rep(string.char(65 + i % 26), i % 400) then
          error("hash slot k" .. i .. " changed")
        end
      end
      -- Buffers that grow while they are filled.
      local parts = {}
      for i = 1, 2000 do parts[i] = tostring(i) end
      local joined = table.concat(parts, ",")
      local doubled, count = joined:gsub("%d+", function(d) return d .. d end)
      local again = {}
      for n in doubled:gmatch("%d+") do again[#again + 1] = n end
      for i = 1, 2000 do
        if again[i] ~= tostring(i) .. tostring(i) then error("piece " .. i .. " is " .. again[i]) end
      end
      return #joined, count, #again
      """)
    #expect(results == [.integer(8892), .integer(2000), .integer(2000)])
  }

  @Test("the ceiling counts the bytes Lua holds: churn leaves the count where it began")
  func accountingStaysExact() throws {
    let sandbox = try Sandbox()
    sandbox.lua.collectGarbage()
    let before = sandbox.lua.memoryInUse
    for _ in 0..<5 {
      try sandbox.run(
        """
        local keep = {}
        for i = 1, 20000 do keep[i % 500] = { i, tostring(i), string.rep("x", i % 300) } end
        """)
    }
    sandbox.lua.collectGarbage()
    let after = sandbox.lua.memoryInUse
    // A chunk's compiled code is freed with it: only a few strings Lua
    // interned on the way may remain.
    #expect(abs(after - before) < 16 << 10, "\(before) bytes before, \(after) after")
    #expect(try sandbox.answersNormally())
  }
}
