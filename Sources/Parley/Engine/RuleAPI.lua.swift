/// The rule API every plugin environment gets, written in Lua because that is
/// what rule authors read in a traceback. It runs once per plugin environment
/// when a revision loads and returns `rules`, what the plugin's `rule { }`
/// calls declared. The host calls each rule's `check` itself, with the
/// read-only views of ContextViews.lua.swift.
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
  local error, type, tostring, pcall = error, type, tostring, pcall
  -- The host functions behind the worker's read-only views of each event
  -- (ContextViews.lua.swift) are not for rules.
  parley.view_index, parley.context_thread, parley.context_community = nil, nil, nil
  parley.recent_messages, parley.thread_participants = nil, nil
  parley.member_consents, parley.member_history = nil, nil

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

  return { rules = rules }
  """#
