import CLua
import ParleyLua
import Testing

/// The sandbox's bounded matcher (`parley_pattern.c`) must give rules the
/// same answers as Lua's own `string.find`, `match`, `gmatch` and `gsub`:
/// the same chunk runs in a sandbox and in a stock Lua state, and every line
/// of output must agree.
@Suite("Patterns")
struct PatternTests {
  /// Subjects: the characters every class and set below tells apart.
  static let subjects = [
    "", "a", "aaa", "Hello World", "HELLO there", "x = f(a, (b)) + 1;", "call 555-123-4567 now",
    "https://example.com/x?y=1", "ab12_CD-ef .", "  spaced  out  ", "(((", "abcabcabc",
    "aaaaaaab", "!!!???", "tab\there", "end.", "wooooooow", "é and ü",
    // At least 32 bytes: shorter subjects are searched without looking
    // for the pattern's required characters first.
    "write to ann.lee@example.org or @bob: ok?",
    "plain words and nothing else here, just letters and commas",
    "x = f(a, (b)) + 1; call 555-123-4567 now, or write (to me)",
    // Doubled characters, where a pattern opening "(x)%1" may start, or none.
    "bookkeeper", "zz", "Mississippi!!", "no character here comes twice in a row, I say",
  ]

  /// Hand-picked patterns: every construct of the pattern language, and the
  /// malformed ones whose error messages rules see.
  static let handPicked = [
    "a", "%a+", "%u", "%l+", "%d%d%d[%-%. ]?%d%d%d[%-%. ]?%d%d%d%d", "https?://[%w%.%-]+",
    "[%p%s]+", "(.)%1%1", "(.)%1%1%1%1%1", "^%s*(.-)%s*$", "%b()", "%f[%w]%w+", "%f[%W]",
    "()a()", "(a)(b)?", "[^%a]+", "[a-c]+", "[%]]", "[]]", "[^]]", "x*", "x-", ".-b", "a?a?aab",
    "^(%w+)", "(%w+)$", "$", "^", "%.", "[.]", "%%", "%S+", "%x+", "%c", "%g+", "%W", "%D*",
    "[%a_][%w_]*", "(h)(e)(l)", "((a)b)", "%", "[a", "(", ")", "%1", "(()", "%b", "%f",
    "%fa", "[a-]", "[-a]", "[a-%]", "o+w$", "(o)%1+", "%z", "[\u{1}-\u{1F}]",
    // Patterns with characters every match needs (the matcher skips a
    // subject that lacks one), optional ones, and malformed patterns where
    // that character is missing: Lua still raises for those.
    "[%w%.%-_]+@[%w%-]+%.%a%a+", "@([%w_]+)", "%?%s*$", "^how ", "^w", "x%", "x[a", "%1x",
    "(x", "x)", "x(", "q%b", "q%bx", "q%f", "q%fa", "z+y", "(a)z%1", "a-z", "[z]x", "%zq",
    "%@x", "x?y*z-w", "((a)(z))", "()z()", "$z", "z$", "a^", "^^", "%b()z", "%f[%w]z",
    "[%w_]+:", "o+w:", "é", "ll?o", "%.org", ":", "@b", "w.*%?$", "[ -V]+", "[^!-~]+",
    String(repeating: "(", count: 33) + "z" + String(repeating: ")", count: 33),
    String(repeating: "q?", count: 110) + "z",
    // Patterns opening with a one-character capture and its back reference
    // (the matcher starts only where a character comes twice), malformed
    // ones after it included.
    "(%a)%1", "([%p])%1%1", "(s)%1", "(%l)%1(.)%2", "(.)%1)", "(.)%1(", "(.)%1%2", "(.-)%1",
    "(.+)%1", "(.)%1$", "(%a)%1?",
  ]

  @Test(
    "the bounded matcher gives Lua's answers for find, match, gmatch and gsub, and lower and upper too"
  )
  func agreesWithLua() throws {
    var generator = SeededGenerator(seed: 0x5EED)
    let patterns = Self.handPicked + (0..<400).map { _ in Self.randomPattern(&generator) }
    let chunk = Self.chunk(patterns: patterns, subjects: Self.subjects)

    let sandbox = try Sandbox()
    let sandboxed = try sandbox.run(
      chunk, budget: LuaBudget(instructions: 2_000_000_000, time: .seconds(60)))
    guard case .string(let result)? = sandboxed.first else {
      Issue.record("the chunk returned \(sandboxed)")
      return
    }
    let stock = try #require(Self.runStock(chunk))

    // Compared as bytes: a match may end inside a multi-byte character.
    let newline = UInt8(ascii: "\n")
    let oursLines = result.bytes.split(separator: newline, omittingEmptySubsequences: false)
    let stockLines = stock.split(separator: newline, omittingEmptySubsequences: false)
    #expect(oursLines.count == stockLines.count)
    #expect(oursLines.count > 30_000, "every pattern, subject and call shows a line")
    var mismatches: [String] = []
    for (mine, theirs) in zip(oursLines, stockLines) where !mine.elementsEqual(theirs) {
      mismatches.append(
        "sandbox: \(String(decoding: mine, as: UTF8.self))\n"
          + "    Lua: \(String(decoding: theirs, as: UTF8.self))")
    }
    #expect(
      mismatches.count == 0,
      "\(mismatches.count) differ:\n\(mismatches.prefix(8).joined(separator: "\n"))")
  }

  @Test("patterns read once are told apart by their text, however many a rule uses")
  func patternsReadOnce() throws {
    let sandbox = try Sandbox()
    // 26 letters x 20 lengths of patterns, each needing its own letter, more
    // than the memo holds, asked three times over; the patterns of one
    // length differ only in their last byte. Each answer must be the one a
    // plain search for its letter gives.
    let results = try sandbox.run(
      """
      local subject = string.rep("x", 40) .. "KQ" .. string.rep("y", 40)
      local wrong = 0
      for round = 1, 3 do
        for n = 1, 20 do
          for c = 65, 90 do
            local letter = string.char(c)
            local found = subject:find(string.rep("%d*", n + 3) .. letter) ~= nil
            if found ~= (subject:find(letter, 1, true) ~= nil) then wrong = wrong + 1 end
          end
        end
      end
      return wrong
      """)
    #expect(results == [0])
  }

  @Test("lower and upper give the same answer when asked again, whatever ran in between")
  func caseAskedAgain() throws {
    let sandbox = try Sandbox()
    let results = try sandbox.run(
      """
      local s = string.rep("MiXeD ", 100)
      local a = string.lower(s)
      local b = s:lower()
      local other = string.lower("OTHER")
      local c = string.lower(s)
      local big = string.rep("Ab", 5000)
      local d, e = string.upper(big), string.upper(big)
      return a == b and b == c and a == string.rep("mixed ", 100) and other == "other",
        d == e and d == string.rep("AB", 5000), string.lower(12), string.lower(12),
        string.upper(s:sub(1, 5))
      """)
    #expect(results == [true, true, "12", "12", "MIXED"])
  }

  /// One Lua chunk that calls every function on every pattern and subject
  /// and returns one line per call, naming both.
  static func chunk(patterns: [String], subjects: [String]) -> String {
    """
    local patterns = { \(patterns.map(luaLiteral).joined(separator: ", ")) }
    local subjects = { \(subjects.map(luaLiteral).joined(separator: ", ")) }
    local out = {}
    local function show(ok, ...)
      if not ok then return "error: " .. tostring((...)) end
      local parts = {}
      for i = 1, select("#", ...) do parts[i] = tostring((select(i, ...))) end
      return table.concat(parts, ",")
    end
    local function all(s, p, init)
      local found = {}
      for a, b in string.gmatch(s, p, init) do
        found[#found + 1] = tostring(a) .. "/" .. tostring(b)
      end
      return table.concat(found, " ")
    end
    local function count(...) return select("#", ...) end
    -- Every byte, lower- and upper-cased, written as numbers: the output
    -- is compared as UTF-8 text, where two invalid bytes would look alike.
    for b = 0, 255 do
      local c = string.char(b)
      out[#out + 1] = "byte " .. b .. " " .. string.byte(string.lower(c)) .. " "
        .. string.byte(string.upper(c)) .. " " .. #string.lower(c .. c)
    end
    for si, s in ipairs(subjects) do
      -- utf8.charpattern: a gmatch call per character, two sets with wide ranges.
      local sizes = {}
      for c in string.gmatch(s, utf8.charpattern) do sizes[#sizes + 1] = #c end
      out[#out + 1] = si .. " utf8 " .. table.concat(sizes, ",")
      out[#out + 1] = si .. " lower " .. show(pcall(string.lower, s))
      out[#out + 1] = si .. " upper " .. show(pcall(string.upper, s))
    end
    for pi, p in ipairs(patterns) do
      for si, s in ipairs(subjects) do
        local at = pi .. ":" .. si .. " "
        out[#out + 1] = at .. "find " .. show(pcall(string.find, s, p))
        out[#out + 1] = at .. "find@3 " .. show(pcall(string.find, s, p, 3))
        out[#out + 1] = at .. "find@-2 " .. show(pcall(string.find, s, p, -2))
        out[#out + 1] = at .. "match " .. show(pcall(string.match, s, p))
        out[#out + 1] = at .. "gmatch " .. show(pcall(all, s, p))
        out[#out + 1] = at .. "gmatch@2 " .. show(pcall(all, s, p, 2))
        out[#out + 1] = at .. "gsub " .. show(pcall(string.gsub, s, p, "<%0>"))
        out[#out + 1] = at .. "gsub%1 " .. show(pcall(string.gsub, s, p, "%1", 2))
        out[#out + 1] = at .. "gsub() " .. show(pcall(string.gsub, s, p, count))
      end
    end
    return table.concat(out, "\\n")
    """
  }

  /// A pattern of one to five pieces, sometimes anchored.
  static func randomPattern(_ generator: inout SeededGenerator) -> String {
    let singles = [
      "a", "b", "o", "1", " ", ".", "%a", "%d", "%s", "%u", "%l", "%p", "%w", "%A", "%S", "%.",
      "[ab]", "[^a]", "[%a_]", "[a-c]", "[%d%-]", "[^%s]",
    ]
    let quantifiers = ["", "", "", "*", "+", "-", "?"]
    var pattern = generator.next(below: 5) == 0 ? "^" : ""
    var open = 0
    var closed = 0
    for _ in 0...generator.next(below: 5) {
      switch generator.next(below: 10) {
      case 0 where open == 0:
        pattern += generator.next(below: 3) == 0 ? "()" : "("
        if !pattern.hasSuffix("()") { open += 1 }
      case 1 where open > 0:
        pattern += ")"
        open -= 1
        closed += 1
      case 2 where closed > 0: pattern += "%1"
      case 3: pattern += generator.next(below: 2) == 0 ? "%b()" : "%f[%w]"
      default:
        pattern += singles[generator.next(below: singles.count)]
        pattern += quantifiers[generator.next(below: quantifiers.count)]
      }
    }
    if open > 0 && generator.next(below: 2) == 0 { pattern += ")" }
    if generator.next(below: 6) == 0 { pattern += "$" }
    return pattern
  }

  /// Runs `chunk` in a plain Lua state with the standard libraries.
  static func runStock(_ chunk: String) -> [UInt8]? {
    guard let state = luaL_newstate() else { return nil }
    defer { lua_close(state) }
    luaL_openlibs(state)
    // Named as the sandbox names it, so error messages carry the same position.
    guard luaL_loadbufferx(state, chunk, chunk.utf8.count, "@test.lua", "t") == LUA_OK,
      lua_pcallk(state, 0, 1, 0, 0, nil) == LUA_OK
    else {
      return nil
    }
    var length = 0
    guard let text = lua_tolstring(state, -1, &length) else { return nil }
    return Array(UnsafeRawBufferPointer(start: text, count: length))
  }

  /// `text` as a Lua string literal (the bytes escaped as decimal).
  static func luaLiteral(_ text: String) -> String {
    "\""
      + text.utf8.map { byte in
        (byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\"))
          ? String(UnicodeScalar(byte)) : "\\\(byte)"
      }.joined() + "\""
  }
}

/// A small deterministic generator (SplitMix64), so a failure names a
/// pattern that the next run sees too.
struct SeededGenerator {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next(below bound: Int) -> Int {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    z ^= z >> 31
    return Int(z % UInt64(bound))
  }
}
