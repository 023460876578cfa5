/// The spec language, in Lua: busted-style `describe`/`it`/`before_each`/
/// `after_each`, `assert`, and `host` (the scenario). Loaded into each spec
/// file's environment before the file runs. Running the file only collects
/// the tests; the runner then calls `run(i)` for each test it wants, each
/// against a fresh host (the Swift side swaps the engine before the call).
///
/// Assertion errors use level 2 so they point at the spec's own line.
let specPreludeSource = #"""
  local tests, stack = {}, {}
  local error, type, tostring, pairs, ipairs, select, setmetatable, string_format =
    error, type, tostring, pairs, ipairs, select, setmetatable, string.format

  local function full_name(name)
    local parts = {}
    for i, group in ipairs(stack) do parts[i] = group.name end
    parts[#parts + 1] = name
    return table.concat(parts, " ")
  end

  local function where(level)
    local _, position = pcall(error, "", level + 2)
    return (position:gsub(": $", ""))
  end

  function describe(name, body)
    if type(name) ~= "string" or type(body) ~= "function" then
      error("describe(name, function() ... end) takes a name and a function", 2)
    end
    stack[#stack + 1] = { name = name, before = {}, after = {} }
    body()
    stack[#stack] = nil
  end

  function before_each(fn)
    if #stack == 0 then error("before_each must be inside describe(...)", 2) end
    local list = stack[#stack].before
    list[#list + 1] = fn
  end

  function after_each(fn)
    if #stack == 0 then error("after_each must be inside describe(...)", 2) end
    local list = stack[#stack].after
    list[#list + 1] = fn
  end

  function it(name, body)
    if type(name) ~= "string" or type(body) ~= "function" then
      error("it(name, function() ... end) takes a name and a function", 2)
    end
    local before, after = {}, {}
    for _, group in ipairs(stack) do
      for _, fn in ipairs(group.before) do before[#before + 1] = fn end
    end
    for i = #stack, 1, -1 do
      for _, fn in ipairs(stack[i].after) do after[#after + 1] = fn end
    end
    tests[#tests + 1] = { name = full_name(name), body = body, before = before, after = after,
                          location = where(2) }
  end

  -- Table-driven specs: one test per case, named by `name` (a format string
  -- receiving the case's `name` field or its index).
  function cases(list, name, body)
    for i, case in ipairs(list) do
      it(string_format(name, case.name or tostring(i)), function() body(case) end)
    end
  end

  local function show(value, depth)
    depth = depth or 0
    if type(value) == "string" then return string_format("%q", value) end
    if type(value) ~= "table" then return tostring(value) end
    if depth > 3 then return "{...}" end
    local parts, n = {}, 0
    for i, v in ipairs(value) do parts[#parts + 1] = show(v, depth + 1); n = i end
    local keys = {}
    for k in pairs(value) do
      if not (math.type(k) == "integer" and k >= 1 and k <= n) then keys[#keys + 1] = k end
    end
    table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
    for _, k in ipairs(keys) do parts[#parts + 1] = tostring(k) .. " = " .. show(value[k], depth + 1) end
    return "{ " .. table.concat(parts, ", ") .. " }"
  end

  local function same(a, b)
    if a == b then return true end
    if type(a) ~= "table" or type(b) ~= "table" then return false end
    for k, v in pairs(a) do if not same(v, b[k]) then return false end end
    for k in pairs(b) do if a[k] == nil then return false end end
    return true
  end

  local function fail(message, detail)
    error(message .. (detail and (": " .. detail) or ""), 3)
  end

  assert = setmetatable({
    equals = function(expected, actual, message)
      if expected ~= actual then
        fail("expected " .. show(expected) .. ", got " .. show(actual), message)
      end
    end,
    same = function(expected, actual, message)
      if not same(expected, actual) then
        fail("expected " .. show(expected) .. ", got " .. show(actual), message)
      end
    end,
    is_true = function(value, message)
      if value ~= true then fail("expected true, got " .. show(value), message) end
    end,
    is_false = function(value, message)
      if value ~= false then fail("expected false, got " .. show(value), message) end
    end,
    is_nil = function(value, message)
      if value ~= nil then fail("expected nil, got " .. show(value), message) end
    end,
    not_nil = function(value, message)
      if value == nil then fail("expected a value, got nil", message) end
    end,
    truthy = function(value, message)
      if not value then fail("expected a truthy value, got " .. show(value), message) end
    end,
    falsy = function(value, message)
      if value then fail("expected a falsy value, got " .. show(value), message) end
    end,
    matches = function(pattern, text, message)
      if type(text) ~= "string" or not text:find(pattern) then
        fail("expected text matching " .. show(pattern) .. ", got " .. show(text), message)
      end
    end,
    has_effect = function(decision, kind, fields, message)
      if not decision:has(kind, fields) then
        fail("expected a " .. kind .. " effect" .. (fields and (" with " .. show(fields)) or "")
          .. ", got " .. show(decision.effects), message)
      end
    end,
  }, { __call = function(_, value, message, ...)
    if not value then error(message or "assertion failed!", 2) end
    return value, message, ...
  end })

  -- Decisions: plain tables, plus d:has(kind, fields) and d:effect(kind).
  local Decision = {}
  Decision.__index = Decision
  local function matches_fields(effect, fields)
    for k, v in pairs(fields or {}) do
      local actual = effect[k]
      if k == "text" and type(actual) == "string" and type(v) == "string" then
        if not actual:find(v, 1, true) then return false end
      elseif actual ~= v then
        return false
      end
    end
    return true
  end
  function Decision:effect(kind, fields)
    for _, effect in ipairs(self.effects) do
      if effect.kind == kind and matches_fields(effect, fields) then return effect end
    end
    return nil
  end
  function Decision:has(kind, fields) return self:effect(kind, fields) ~= nil end
  function Decision:was_blocked(kind, fields)
    for _, effect in ipairs(self.blocked) do
      if effect.kind == kind and matches_fields(effect, fields) then return true end
    end
    return false
  end

  local raw = host
  local function decision(d) return setmetatable(d, Decision) end
  host = {
    member = raw.member, thread = raw.thread, settings = raw.settings, now = raw.now,
    post = function(spec) return decision(raw.post(spec)) end,
    edit = function(spec) return decision(raw.edit(spec)) end,
    join = function(id) return decision(raw.join(id)) end,
    report = function(spec) return decision(raw.report(spec)) end,
    consent = function(id, purpose, granted) return decision(raw.consent(id, purpose, granted)) end,
    review = function(spec) return decision(raw.review(spec)) end,
    appeal = function(spec) return decision(raw.appeal(spec)) end,
    resolve_appeal = function(spec) return decision(raw.resolve_appeal(spec)) end,
    advance = function(minutes)
      local list = raw.advance(minutes)
      for _, d in ipairs(list) do decision(d) end
      return list
    end,
  }

  local function run(i)
    local test = tests[i]
    for _, fn in ipairs(test.before) do fn() end
    test.body()
    for _, fn in ipairs(test.after) do fn() end
  end

  return { tests = tests, run = run }
  """#
