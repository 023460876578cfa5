-- Exchange: points for two-way dialogue, never for broadcasting.
--   reply-points               replying to another person's message earns points
--   start-points               starting a thread earns a little, only for members who also reply to others
--   answer-points              the first answer to someone's question earns points, more when it came fast
--   members-helping-members    a member (not staff) answering another member's question earns extra
--
-- Points go to members (role "member"): answering is staff's job, so staff answers count
-- in the weekly totals but earn nothing. Every rule adds to the week's totals in state,
-- "week:<what>", which summary.lua reports and clears.
--
-- State per question message: "question:<message id>" (when it was asked, from
-- parley.now(); deleted at its first answer), "asker:<message id>" and "asker-role:<message id>".

-- How long the plugin remembers an unanswered question (30 days, in minutes).
local QUESTION_MEMORY_MINUTES = 30 * 24 * 60

--- True when a message counts for points: a person's own words, not automation.
---@param event ParleyEvent
---@param ctx ParleyContext
---@return boolean
local function by_a_person(event, ctx)
  return ctx.thread ~= nil and not event.message.automated
end

--- The recent message in the thread with that id, or nil.
---@param thread ParleyThread
---@param id string
---@return ParleyMessage|nil
local function find_message(thread, id)
  for _, message in ipairs(thread.messages) do
    if message.id == id then return message end
  end
  return nil
end

-- Replying to another person is dialogue; replying to yourself is not.
rule {
  id = "reply-points",
  title = "Points for replying",
  on = "message_posted",
  description = "Gives points to a member who replies to another person's message",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local message = event.message
    if not by_a_person(event, ctx) or message.reply_to == nil or ctx.member.role ~= "member" then return end
    local replied = find_message(ctx.thread, message.reply_to)
    if replied == nil or replied.author == message.author then return end
    state.incr("week:replies")
    return score(ctx.settings.reply_points, "replied to another person")
  end,
}

-- Opening a thread earns a little, but only from members who also reply to others:
-- posts by accounts that never reply are broadcasts, and broadcasts earn nothing.
rule {
  id = "start-points",
  title = "Points for starting conversations",
  on = "message_posted",
  description = "Gives points for starting a thread to members who also reply to others; broadcasts get none",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local message, member = event.message, ctx.member
    if not by_a_person(event, ctx) or message.reply_to ~= nil or member.role ~= "member" then return end
    if member.history.replies_to_others == 0 then
      state.incr("week:broadcasts") -- counted for the summary, worth nothing
      return
    end
    state.incr("week:starts")
    return score(ctx.settings.start_points, "started a conversation (and replies to others too)")
  end,
}

-- Questions are remembered with the time they were asked; the first answer by someone
-- else earns points, with extra points when it came within fast_answer_minutes.
rule {
  id = "answer-points",
  title = "Points for answers",
  on = "message_posted",
  priority = 10,
  description = "Gives points for the first answer to someone's question, more when the answer came fast",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    if not by_a_person(event, ctx) then return end
    local message, settings = event.message, ctx.settings
    local now = parley.now()

    local proposal
    local asked = message.reply_to and state.get("question:" .. message.reply_to)
    if asked and state.get("asker:" .. message.reply_to) ~= message.author then
      state.delete("question:" .. message.reply_to) -- only the first answer counts
      local seconds = now - asked
      local fast = seconds <= settings.fast_answer_minutes * 60
      state.incr("week:answers")
      state.incr("week:answer-minutes", seconds // 60)
      if fast then state.incr("week:fast-answers") end
      if ctx.member.role == "member" then
        local points = settings.answer_points + (fast and settings.fast_answer_points or 0)
        proposal = score(points, fast
          and ("answered a question within %d minutes"):format(settings.fast_answer_minutes)
          or "answered a question")
      end
    end

    if message.text:find("?", 1, true) then
      state.set("question:" .. message.id, now, QUESTION_MEMORY_MINUTES)
      state.set("asker:" .. message.id, message.author, QUESTION_MEMORY_MINUTES)
      state.set("asker-role:" .. message.id, ctx.member.role, QUESTION_MEMORY_MINUTES)
    end
    return proposal
  end,
}

-- Members helping members: a member's answer to another member's question earns extra.
-- Runs before answer-points, which forgets the question at its first answer.
rule {
  id = "members-helping-members",
  title = "Members helping members",
  on = "message_posted",
  priority = 20,
  description = "Gives extra points when a member, not staff, first answers another member's question",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local message = event.message
    if not by_a_person(event, ctx) or message.reply_to == nil or ctx.member.role ~= "member" then return end
    local question = message.reply_to
    if state.get("question:" .. question) == nil then return end -- not a question, or answered already
    if state.get("asker-role:" .. question) ~= "member" then return end
    if state.get("asker:" .. question) == message.author then return end
    state.incr("week:helped")
    return score(ctx.settings.helper_points, "helped another member with their question")
  end,
}
