/// The rule API every plugin environment gets, written in Lua because that is
/// what rule authors read in a traceback. It runs once per plugin environment
/// when a revision loads; the table it returns stays with the host:
/// `rules` (what the plugin's `rule { }` calls declared) and `run` (calls one
/// rule with read-only views of the event and its context).
///
/// Errors raised for the author use level 2, so they point at the author's
/// line, not this file.
/// The globals the rule API defines in every plugin environment.
let ruleAPINames: Set<String> = [
  "rule", "allow", "flag", "hold", "remove", "reply", "contact", "notify", "route", "tag", "score",
  "mute", "schedule",
]

let ruleAPISource = #"""
  local KINDS = {
    message_posted = true, message_edited = true, member_joined = true, report_filed = true,
    consent_changed = true, timer_due = true, review_resolved = true, appeal_filed = true,
    appeal_resolved = true,
  }
  local PURPOSES = { support = true, news = true, offers = true }
  local rules, ids = {}, {}
  local error, type, tostring, pcall, next, setmetatable, rawlen =
    error, type, tostring, pcall, next, setmetatable, rawlen

  -- Read-only views: one proxy per table, made on first use, so a rule can
  -- read the event and context but every write names the field it tried.
  -- A proxy knows only its table: the dotted path for an error message is
  -- looked for from the event's roots when a write fails, never kept on the
  -- way to a field (two weak-table entries per proxy cost more than a rule's
  -- own work).
  local backing = setmetatable({}, { __mode = "k" })
  local views = setmetatable({}, { __mode = "k" })
  local VIEW = {}
  local root_event, root_ctx -- the tables behind the running rule's `event` and `ctx`
  local function find(t, target, prefix, seen)
    for key, value in next, t do
      if type(value) == "table" and not seen[value] then
        seen[value] = true
        local at = prefix .. "." .. tostring(key)
        if value == target then return at end
        local found = find(value, target, at, seen)
        if found then return found end
      end
    end
  end
  local function path(proxy)
    local t = backing[proxy]
    if t == root_event then return "event" end
    if t == root_ctx then return "ctx" end
    return (root_event and find(root_event, t, "event", {}))
      or (root_ctx and find(root_ctx, t, "ctx", {}))
  end
  local function view(t)
    local proxy = setmetatable({}, VIEW)
    backing[proxy], views[t] = t, proxy
    return proxy
  end

  -- Some context fields are built by the host only when a rule reads them:
  -- `lazy` maps a table to the loaders of its missing fields until then.
  local THREAD = { messages = parley.recent_messages, participants = parley.thread_participants }
  local MEMBER = { consents = parley.member_consents, history = parley.member_history }
  local context_thread, context_community = parley.context_thread, parley.context_community
  parley.recent_messages, parley.thread_participants = nil, nil
  parley.member_consents, parley.member_history = nil, nil
  parley.context_thread, parley.context_community = nil, nil
  local lazy = setmetatable({}, { __mode = "k" })
  -- `ctx.thread` and `ctx.community`, built once per event on first read
  -- (many rules read neither) and shared by every plugin's `ctx`; false
  -- until then, and for an event without a thread.
  local event_thread, event_community = false, false
  -- This event's `ctx` tables: when the next event starts they stop
  -- loading, so a `ctx` a rule kept never shows a later event's thread.
  local event_contexts, event_context_count = {}, 0
  local CONTEXT = {
    thread = function()
      if event_thread == false then
        event_thread = context_thread()
        if event_thread then lazy[event_thread] = THREAD end
      end
      return event_thread
    end,
    community = function()
      if not event_community then event_community = context_community() end
      return event_community
    end,
  }
  local function load_field(t, loaders, key)
    local value = loaders[key]()
    t[key] = value
    return value
  end
  local function load_all(t, loaders)
    for key in next, loaders do
      if t[key] == nil then load_field(t, loaders, key) end
    end
    lazy[t] = nil
  end

  -- A field read: the host's C function answers plain values, known views
  -- and missing fields; it calls this only for a table without a view yet
  -- or a lazy field.
  local function slow_index(proxy, key)
    local t = backing[proxy]
    local value = t[key]
    local loaders = lazy[t]
    if value == nil and loaders and loaders[key] then value = load_field(t, loaders, key) end
    if type(value) == "table" then return views[value] or view(value) end
    return value
  end
  VIEW.__index = parley.view_index(backing, views, lazy, slow_index)
  parley.view_index = nil
  VIEW.__newindex = function(proxy, key)
    local at = path(proxy)
    local field = at and at .. "." .. tostring(key)
      or "field '" .. tostring(key) .. "' of an earlier event's table"
    error(field .. " is read-only: rules propose, the host changes", 2)
  end
  VIEW.__len = function(proxy) return rawlen(backing[proxy]) end
  VIEW.__pairs = function(proxy)
    local t = backing[proxy]
    if lazy[t] then load_all(t, lazy[t]) end
    return function(_, key)
      local k, v = next(t, key)
      if type(v) == "table" then v = views[v] or view(v) end
      return k, v
    end, proxy, nil
  end
  VIEW.__metatable = "read-only"

  local function where(level)
    local _, position = pcall(error, "", level + 2)
    return (position:gsub(": $", ""))
  end

  local function need(value, expected, what, fn)
    if type(value) ~= expected then
      error(fn .. ": " .. what .. " must be a " .. expected .. ", got " .. type(value), 3)
    end
  end

  function rule(spec)
    if type(spec) ~= "table" then
      error("rule { ... } takes a table with id, on, description and check", 2)
    end
    local id = spec.id
    if type(id) ~= "string" or id == "" then error("rule: `id` must be a non-empty string", 2) end
    if ids[id] then error("rule: a rule with id '" .. id .. "' is already declared in this plugin", 2) end
    local on = spec.on
    if type(on) == "string" then on = { on } end
    if type(on) ~= "table" or #on == 0 then
      error("rule '" .. id .. "': `on` must name an event, e.g. on = \"message_posted\"", 2)
    end
    local events = {}
    for i = 1, #on do
      if not KINDS[on[i]] then
        error("rule '" .. id .. "': unknown event '" .. tostring(on[i]) .. "' in `on`", 2)
      end
      events[i] = on[i]
    end
    if type(spec.check) ~= "function" then
      error("rule '" .. id .. "': `check` must be a function(event, ctx)", 2)
    end
    if type(spec.description) ~= "string" or spec.description == "" then
      error("rule '" .. id .. "': `description` must say in one line what the rule does", 2)
    end
    if spec.title ~= nil and (type(spec.title) ~= "string" or spec.title == "") then
      error("rule '" .. id .. "': `title` must be a short name members can read, e.g. \"No links from new members\"", 2)
    end
    local priority = spec.priority or 0
    if math.type(priority) ~= "integer" then
      error("rule '" .. id .. "': `priority` must be an integer (higher runs first)", 2)
    end
    ids[id] = true
    rules[#rules + 1] = {
      id = id, title = spec.title, events = events, priority = priority, description = spec.description,
      check = spec.check, location = where(2),
    }
  end

  -- hold("reason") or hold{ reason = "...", notice = "..." }: the reason is
  -- for moderators, the notice (optional) is what the member is told.
  local function verdict(name)
    return function(reason)
      local notice
      if type(reason) == "table" then
        reason, notice = reason.reason, reason.notice
        if notice ~= nil then need(notice, "string", "the notice", name) end
      end
      need(reason, "string", "the reason", name)
      return { kind = "verdict", verdict = name, reason = reason, notice = notice }
    end
  end
  allow, flag, hold, remove = verdict("allow"), verdict("flag"), verdict("hold"), verdict("remove")

  local function purpose(value, fn)
    if value == nil then return "support" end
    if not PURPOSES[value] then
      error(fn .. ": purpose must be \"support\", \"news\" or \"offers\", got " .. tostring(value), 3)
    end
    return value
  end

  function reply(text, opts)
    need(text, "string", "the text", "reply")
    local purpose_name = purpose(opts and opts.purpose, "reply")
    return { kind = "reply", text = text, purpose = purpose_name }
  end

  function contact(member, purpose_name, text)
    need(member, "string", "the member id", "contact")
    need(text, "string", "the text", "contact")
    if purpose_name == nil then error("contact: say what for: \"support\", \"news\" or \"offers\"", 2) end
    return { kind = "contact", member = member, purpose = purpose(purpose_name, "contact"), text = text }
  end

  function notify(team, text)
    need(team, "string", "the team", "notify")
    need(text, "string", "the text", "notify")
    return { kind = "notify", team = team, text = text }
  end

  function route(team, reason)
    need(team, "string", "the team", "route")
    need(reason, "string", "the reason", "route")
    return { kind = "route", team = team, reason = reason }
  end

  function tag(name)
    need(name, "string", "the tag", "tag")
    return { kind = "tag", name = name }
  end

  function score(points, reason, member)
    if math.type(points) ~= "integer" then error("score: points must be a whole number", 2) end
    need(reason, "string", "the reason", "score")
    if member ~= nil then need(member, "string", "the member id", "score") end
    return { kind = "score", points = points, reason = reason, member = member }
  end

  function mute(minutes, reason, member)
    if math.type(minutes) ~= "integer" or minutes <= 0 then
      error("mute: minutes must be a positive whole number", 2)
    end
    need(reason, "string", "the reason", "mute")
    if member ~= nil then need(member, "string", "the member id", "mute") end
    return { kind = "mute", minutes = minutes, reason = reason, member = member }
  end

  function schedule(name, after_minutes, data)
    need(name, "string", "the name", "schedule")
    if math.type(after_minutes) ~= "integer" or after_minutes < 0 then
      error("schedule: after_minutes must be a whole number, 0 or more", 2)
    end
    if data ~= nil then need(data, "table", "the data", "schedule") end
    return { kind = "schedule", name = name, after = after_minutes, data = data }
  end

  parley.random = math.random

  -- The context view is made once per event (rules of one plugin share it).
  local last_ctx, last_settings, last_view
  local function run(check, event, ctx, settings)
    if ctx ~= last_ctx or settings ~= last_settings then
      if ctx ~= last_ctx then
        event_thread, event_community = false, false
        for i = 1, event_context_count do
          lazy[event_contexts[i]], event_contexts[i] = nil, nil
        end
        event_context_count = 0
        if ctx.member then lazy[ctx.member] = MEMBER end
      end
      last_ctx, last_settings = ctx, settings
      local fields = { member = ctx.member, settings = settings }
      lazy[fields] = CONTEXT
      event_context_count = event_context_count + 1
      event_contexts[event_context_count] = fields
      last_view = view(fields)
    end
    root_event, root_ctx = event, backing[last_view]
    return check(views[event] or view(event), last_view)
  end

  return { rules = rules, run = run }
  """#
