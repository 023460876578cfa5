-- Summary: the week's dialogue, told to the community team.
--   start-weekly-summary   the first event starts the weekly timer, unless one is pending
--   weekly-summary         every week, the totals go to summary_team and the next week starts
--
-- State: "summary-pending" (true once a weekly timer runs), and the week's totals
-- "week:<what>" counted by exchange.lua, cleared after each summary.

-- A week, in minutes.
local WEEK_MINUTES = 7 * 24 * 60

-- The totals exchange.lua counts, in the order the summary reports them.
local TOTALS = { "replies", "answers", "fast-answers", "answer-minutes", "helped", "starts", "broadcasts" }

--- "1 reply", "2 replies": a count with the right word.
---@param n integer
---@param one string
---@param many string
---@return string
local function counted(n, one, many)
  return ("%d %s"):format(n, n == 1 and one or many)
end

-- The first event in a community starts the weekly clock; state remembers that it runs.
rule {
  id = "start-weekly-summary",
  title = "Weekly dialogue summary starts",
  on = { "message_posted", "member_joined" },
  description = "Starts the weekly summary of dialogue for the community team, unless it is already running",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx) -- luacheck: no unused args
    if state.get("summary-pending") then return end
    state.set("summary-pending", true)
    return schedule("weekly-summary", WEEK_MINUTES, { week = 1 })
  end,
}

-- Every week: tell the community team how much dialogue there was, then start the next week.
rule {
  id = "weekly-summary",
  title = "Weekly dialogue summary",
  on = "timer_due",
  description = "Sends the community team the week's dialogue totals and starts the next week",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local timer = event.timer
    if timer.name ~= "weekly-summary" then return end
    local week = timer.data and timer.data.week or 1

    local count = {}
    for _, name in ipairs(TOTALS) do
      count[name] = math.tointeger(tonumber(state.get("week:" .. name)) or 0) or 0
      state.delete("week:" .. name)
    end

    local answered = "no questions answered"
    if count.answers > 0 then
      answered = ("%s answered (%d within %d minutes, %d minutes on average)"):format(
        counted(count.answers, "question", "questions"), count["fast-answers"], ctx.settings.fast_answer_minutes,
        count["answer-minutes"] // count.answers)
    end
    local text = ("Week %d in dialogue: %s between people; %s; %s by members helping members; "
      .. "%s by members who also reply; %s by accounts that never reply (no points)."):format(
      week, counted(count.replies, "reply", "replies"), answered, counted(count.helped, "answer", "answers"),
      counted(count.starts, "thread started", "threads started"), counted(count.broadcasts, "post", "posts"))

    return notify(ctx.settings.summary_team, text),
      schedule("weekly-summary", WEEK_MINUTES, { week = week + 1 })
  end,
}
