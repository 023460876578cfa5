-- Strikes: rule breaks a moderator confirmed, counted per member for a while.
--   strike-on-rejection   a post rejected in review gives its author a strike and the ladder's next step
--   hold-after-strikes    once a member's strikes reach the ladder's "hold" step, their posts and edits wait
--   lift-on-appeal        an overturned appeal takes back the strike that post gave
--
-- What the plugin keeps in its state, per community:
--   strikes:<member>   the member's strikes, oldest first, as "<message>@<unix seconds>;...",
--                      e.g. "m12@1764000000;m40@1764100000"; it expires decay_days after the newest
--   struck:<message>   true once the message gave a strike, so that no message ever gives two

local DAY = 86400

---@alias StrikesStepKind "warn"|"mute"|"hold"

---One step of the ladder.
---@class StrikesStep
---@field kind StrikesStepKind
---@field minutes? integer How long a "mute" step mutes.

---One active strike.
---@class StrikesStrike
---@field message string The id of the rejected message that gave it.
---@field at integer When it was given, in Unix seconds.

--- The community's ladder, one step per entry: "warn", "mute N" (N minutes) or "hold".
--- Capitals and surrounding spaces do not matter. Any other entry stops the rule with
--- an error naming it, before anything is stored.
---@param entries string[] ctx.settings.ladder
---@return StrikesStep[]
local function parse_ladder(entries)
  local steps = {}
  for _, entry in ipairs(entries) do
    local words = tostring(entry):lower():match("^%s*(.-)%s*$")
    local minutes = words:match("^mute%s+(%d+)$")
    if words == "warn" or words == "hold" then
      steps[#steps + 1] = { kind = words }
    elseif minutes ~= nil and tonumber(minutes) > 0 then
      steps[#steps + 1] = { kind = "mute", minutes = math.tointeger(tonumber(minutes)) }
    else
      error(("strikes: ladder step '%s' is not warn, mute N or hold"):format(tostring(entry)))
    end
  end
  if #steps == 0 then error("strikes: the ladder setting has no steps") end
  return steps
end

--- decay_days, checked: a strike must count for at least a day.
---@param settings table ctx.settings
---@return integer
local function decay_days(settings)
  local days = settings.decay_days
  if days < 1 then error(("strikes: decay_days must be at least 1, not %d"):format(days)) end
  return days
end

--- The step for a member's `count`-th active strike; beyond the end, the last step again.
---@param steps StrikesStep[]
---@param count integer
---@return StrikesStep
local function step_for(steps, count)
  return steps[math.min(count, #steps)]
end

--- The number of active strikes from which posts are held: the first "hold" step, or nil.
---@param steps StrikesStep[]
---@return integer|nil
local function hold_from(steps)
  for i, step in ipairs(steps) do
    if step.kind == "hold" then return i end
  end
  return nil
end

--- A message id as stored: "%", ";" and "@" written as %XX, so any id fits the format.
---@param id string
---@return string
local function escape(id)
  return (id:gsub("[%%;@]", function(c) return ("%%%02X"):format(c:byte()) end))
end

---@param stored string
---@return string
local function unescape(stored)
  return (stored:gsub("%%(%x%x)", function(hex) return string.char(tonumber(hex, 16)) end))
end

--- The member's strikes that still count (given less than `days` days ago), oldest first.
---@param member string
---@param days integer
---@return StrikesStrike[]
local function read_strikes(member, days)
  local strikes = {}
  local stored = state.get("strikes:" .. member)
  if type(stored) ~= "string" then return strikes end
  local since = parley.now() - days * DAY
  for message, at in stored:gmatch("([^;@]+)@(%d+)") do
    local seconds = math.tointeger(tonumber(at))
    if seconds > since then strikes[#strikes + 1] = { message = unescape(message), at = seconds } end
  end
  return strikes
end

--- Stores the member's strikes, expiring `days` days after the newest; forgets the key when none are left.
---@param member string
---@param strikes StrikesStrike[]
---@param days integer
local function write_strikes(member, strikes, days)
  local key = "strikes:" .. member
  if #strikes == 0 then
    state.delete(key)
    return
  end
  local parts, newest = {}, 0
  for i, strike in ipairs(strikes) do
    parts[i] = escape(strike.message) .. "@" .. strike.at
    newest = math.max(newest, strike.at)
  end
  local seconds_left = newest + days * DAY - parley.now()
  state.set(key, table.concat(parts, ";"), -(-seconds_left // 60)) -- whole minutes, rounded up
end

local ORDINALS = { "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth" }

--- "first", "second", ... "tenth", then "11th", "21st", "22nd", ...
---@param n integer
---@return string
local function ordinal(n)
  if ORDINALS[n] then return ORDINALS[n] end
  local suffix = "th"
  if n % 100 < 11 or n % 100 > 13 then suffix = ({ "st", "nd", "rd" })[n % 10] or "th" end
  return n .. suffix
end

--- "30 days", "1 day": the decay window, for the moderators' reasons.
---@param days integer
---@return string
local function window(days)
  return days == 1 and "1 day" or ("%d days"):format(days)
end

--- What a step does, for the moderators' reason.
---@param step StrikesStep
---@return string
local function describe(step)
  if step.kind == "mute" then return ("muted for %d minutes"):format(step.minutes) end
  if step.kind == "hold" then return "their posts and edits are held for a moderator until a strike fades" end
  return "a warning"
end

-- What the member reads with the decision on their rejected post, under Parley's own
-- "A moderator reviewed your post and removed it.". No counts, lengths, step names or
-- settings: what it means for now, that it fades, and that they can appeal.
local NOTICE_AGAIN = "It is not the first time lately."
local NOTICE_STEP = {
  warn = "This time it is only a reminder.",
  mute = "You are taking a short break from posting.",
  hold = "For a while, a moderator will look at your new posts before others can see them.",
}
local NOTICE_CLOSING = "This stops counting after a while without new problems. "
  .. "If you think the moderator got it wrong, you can appeal the decision."

--- The member's words for their `count`-th strike, which brought `step`.
---@param step StrikesStep
---@param count integer
---@return string
local function notice_for(step, count)
  local sentences = {}
  if count > 1 then sentences[#sentences + 1] = NOTICE_AGAIN end
  sentences[#sentences + 1] = NOTICE_STEP[step.kind]
  sentences[#sentences + 1] = NOTICE_CLOSING
  return table.concat(sentences, " ")
end

-- A post a moderator rejects in review gives its author a strike, and the ladder's step for it.
rule {
  id = "strike-on-rejection",
  title = "Rule breaks add up",
  on = "review_resolved",
  priority = 10,
  description = "When a moderator confirms that a post broke the community's rules, it counts against its author "
    .. "for a while; breaks that add up lead to a pause from posting or to posts being checked first",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local review = event.review
    if review.outcome ~= "rejected" then return end
    -- Read the settings first, so a bad ladder stops the rule before anything is stored.
    local steps, days = parse_ladder(ctx.settings.ladder), decay_days(ctx.settings)
    local marker = "struck:" .. review.message
    if state.get(marker) then return end -- this message already gave its strike (or had it taken back)

    local member = ctx.member.id
    local strikes = read_strikes(member, days)
    strikes[#strikes + 1] = { message = review.message, at = parley.now() }
    write_strikes(member, strikes, days)
    state.set(marker, true)

    local step = step_for(steps, #strikes)
    local reason = ("%s strike in %s: %s"):format(ordinal(#strikes), window(days), describe(step))
    local verdict = remove{ reason = reason, notice = notice_for(step, #strikes) }
    if step.kind == "mute" then
      return verdict, mute(step.minutes, reason)
    end
    return verdict
  end,
}

-- While a member has as many active strikes as the ladder's first "hold" step, their posts and edits wait.
rule {
  id = "hold-after-strikes",
  title = "Posts checked after repeated rule breaks",
  on = { "message_posted", "message_edited" },
  priority = 10,
  description = "After recent rule breaks confirmed by moderators, a member's posts wait for a moderator "
    .. "until those breaks fade",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(_, ctx)
    local days = decay_days(ctx.settings)
    local count = #read_strikes(ctx.member.id, days)
    if count == 0 then return end
    local from = hold_from(parse_ladder(ctx.settings.ladder))
    if from == nil or count < from then return end
    return hold{
      reason = ("%d active strike%s in %s (posts are held from %d): a moderator checks each post "
        .. "until a strike fades"):format(count, count == 1 and "" or "s", window(days), from),
      notice = "Because moderators found that some of your recent posts went against the community's rules, "
        .. "a moderator looks at your posts before others can see them for a while. This ends by itself as time "
        .. "passes without new problems. If you think one of those decisions was wrong, you can appeal it.",
    }
  end,
}

-- An overturned appeal against a decision about a post takes back the strike that post gave.
rule {
  id = "lift-on-appeal",
  title = "Overturned decisions do not count",
  on = "appeal_resolved",
  priority = 10,
  description = "When an appeal succeeds, the rule break it was about no longer counts against the member",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local appeal = event.appeal
    if appeal.outcome ~= "overturned" or appeal.message == nil then return end
    local days = decay_days(ctx.settings)
    local strikes = read_strikes(appeal.member, days)
    for i, strike in ipairs(strikes) do
      if strike.message == appeal.message then
        table.remove(strikes, i)
        write_strikes(appeal.member, strikes, days)
        -- struck:<message> stays, so the same message never gives a strike again.
        return notify("moderators", ("%s's strike for message %s was taken back after an overturned appeal: "
          .. "%d active strike%s left"):format(appeal.member, appeal.message, #strikes, #strikes == 1 and "" or "s"))
      end
    end
  end,
}
