-- Listening: noticing what members ask, complain about and suggest.
--   route-signals         a question, complaint or feedback goes to the team that answers it, with a follow-up timer
--   acknowledge-signals   when the community wants it, an automated reply says which team has it
--   tag-feedback-themes   a member's post that names a feedback theme tags its thread "theme-<theme>"
--
-- Shared with follow-up.lua: the state key "signal:<thread id>:<kind>" holds the id of
-- the member who raised the signal while it waits for an answer, then true once answered.

-- How long the plugin remembers a signal (30 days, in minutes).
local SIGNAL_MEMORY_MINUTES = 30 * 24 * 60

--- The text as the word lists read it: lower case, curly apostrophes made straight.
---@param text string
---@return string
local function plain(text)
  return (text:lower():gsub("\u{2019}", "'"))
end

-- Each listed word's pattern, built the first time the word is seen: the lists
-- come from settings, so the same few words come back on every post.
local patterns = {}

--- The search pattern for one listed word or phrase.
---@param word string
---@return string
local function pattern_for(word)
  local pattern = patterns[word]
  if pattern == nil then
    pattern = plain(word):gsub("%p", "%%%0")
    if word:find("^%w") then
      pattern = "%f[%w]" .. pattern
    end
    patterns[word] = pattern
  end
  return pattern
end

--- True when one of the words or phrases starts a word in the text:
--- "idea" matches "ideas", but "app" does not match "happy".
---@param text string already plain
---@param words string[]
---@return boolean
local function mentions(text, words)
  for _, word in ipairs(words) do
    if text:find(pattern_for(word)) then
      return true
    end
  end
  return false
end

-- Each "theme = word | word" setting entry as read, the first time it is seen.
local themes = {}

--- One theme entry: its tag ("theme-<theme>") and its words; nil when the entry
--- names no theme.
---@param entry string
---@return string|nil name
---@return string[] words
local function theme_of(entry)
  local known = themes[entry]
  if known == nil then
    known = { words = {} }
    local theme, words = entry:match("^%s*([^=]-)%s*=%s*(.-)%s*$")
    if theme and theme ~= "" then
      known.name = "theme-" .. theme:lower():gsub("%s+", "-")
      for word in words:gmatch("[^|]+") do
        known.words[#known.words + 1] = word:match("^%s*(.-)%s*$")
      end
    end
    themes[entry] = known
  end
  return known.name, known.words
end

--- A list setting of "key=value" strings as a table; entries without "=" are skipped.
---@param list string[]
---@return table<string, string>
local function pairs_of(list)
  local map = {}
  for _, entry in ipairs(list) do
    local key, value = entry:match("^%s*([^=]-)%s*=%s*(.-)%s*$")
    if key and key ~= "" and value ~= "" then
      map[key:lower()] = value
    end
  end
  return map
end

--- What kind of signal a member's post is: "complaint", "feedback" or "question", or nil.
--- A complaint outweighs feedback, and feedback a question ("Could you add a dark mode?"
--- is feedback). Questions count only from the member who opened the thread: a helper's
--- "Did you try a reset?" is not a new question for the team.
---@param message ParleyMessage
---@param thread ParleyThread
---@param settings table
---@return string|nil
local function signal_kind(message, thread, settings)
  local text = plain(message.text)
  if mentions(text, settings.complaint_words) then
    return "complaint"
  end
  if mentions(text, settings.feedback_words) then
    return "feedback"
  end
  if text:find("?", 1, true) and message.author == thread.opener then
    return "question"
  end
  return nil
end

--- True when the post is a member's own words: not automated, not by staff.
---@param event ParleyEvent
---@param ctx ParleyContext
---@return boolean
local function from_a_member(event, ctx)
  return ctx.thread ~= nil and not event.message.automated and ctx.member.role == "member"
end

-- A question, complaint or feedback goes to the team that answers that kind, once per
-- thread and kind, and starts the answer clock.
rule {
  id = "route-signals",
  title = "Questions, complaints and ideas reach a team",
  on = "message_posted",
  priority = 10,
  description = "Routes a member's question, complaint or feedback to the team that answers it, with a follow-up timer",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    if not from_a_member(event, ctx) then return end
    local message, thread = event.message, ctx.thread
    local kind = signal_kind(message, thread, ctx.settings)
    if kind == nil then return end

    local key = "signal:" .. thread.id .. ":" .. kind
    if state.get(key) ~= nil then return end -- this kind was raised in this thread already
    local team = pairs_of(ctx.settings.teams)[kind]
    if team == nil then
      return tag(kind) -- the community routes this kind nowhere: noted, not followed up
    end
    state.set(key, message.author, SIGNAL_MEMORY_MINUTES)

    local minutes = ctx.settings.answer_within_minutes
    return route(team, ("a member raised a %s"):format(kind)),
      tag(kind),
      schedule("answer-check", minutes, {
        thread = thread.id,
        title = thread.title or thread.id,
        kind = kind,
        team = team,
        raised_by = message.author,
        minutes = minutes,
      })
  end,
}

-- Tell the member, in an automated reply, who has their question, complaint or feedback.
-- Off by default: each community decides whether it wants automated acknowledgements.
rule {
  id = "acknowledge-signals",
  title = "Telling members who will answer",
  on = "message_posted",
  priority = 5,
  description = "Replies (labelled automated) with the team that will answer, if the community wants acknowledgements",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    if not ctx.settings.acknowledge or not from_a_member(event, ctx) then return end
    local thread = ctx.thread
    local kind = signal_kind(event.message, thread, ctx.settings)
    if kind == nil then return end
    local team = pairs_of(ctx.settings.teams)[kind]
    if team == nil then return end

    local key = "acknowledged:" .. thread.id .. ":" .. kind
    if state.get(key) then return end -- one acknowledgement per thread and kind
    state.set(key, true, SIGNAL_MEMORY_MINUTES)

    local fill = { name = ctx.member.name, kind = kind, team = team }
    local text = ctx.settings.acknowledgement:gsub("{(%a+)}", fill)
    return reply(text, { purpose = "support" })
  end,
}

-- Collect what members say as insight for the team: each feedback theme a member's post
-- mentions tags the thread once, so the team can find every thread about "battery".
rule {
  id = "tag-feedback-themes",
  title = "Feedback collected by theme",
  on = "message_posted",
  description = "Tags a thread with the feedback themes its members' posts mention, so the team finds them",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    if not from_a_member(event, ctx) then return end
    local tagged = {}
    for _, existing in ipairs(ctx.thread.tags) do
      tagged[existing] = true
    end

    local text = plain(event.message.text)
    local tags = {}
    for _, entry in ipairs(ctx.settings.themes) do
      local name, words = theme_of(entry)
      if name ~= nil and not tagged[name] and mentions(text, words) then
        tagged[name] = true
        tags[#tags + 1] = tag(name)
      end
    end
    return table.unpack(tags)
  end,
}
