-- Response: who answers what, and what the community hears back.
--   route-questions        a member's question goes to the support team, with a follow-up timer
--   unanswered-follow-up   when the timer comes due and nobody has answered, support is told
--   welcome                new members get a private welcome
--
-- Shared with engagement.lua (thank-helpers): the state key "question:<thread id>"
-- holds "waiting" while a routed question has no answer, then "answered".

-- How long the plugin remembers a question thread (30 days, in minutes).
local QUESTION_MEMORY_MINUTES = 30 * 24 * 60

-- A member who opens a thread with a question gets the support team's attention.
rule {
  id = "route-questions",
  title = "Questions reach the support team",
  on = "message_posted",
  priority = 10,
  description = "A member's question goes to the support team, who are reminded if nobody answers in time",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local message, thread = event.message, ctx.thread
    if thread == nil or message.automated or message.reply_to ~= nil then return end
    if ctx.member.role ~= "member" or message.author ~= thread.opener then return end
    if not message.text:find("?", 1, true) then return end

    local key = "question:" .. thread.id
    if state.get(key) ~= nil then return end -- this thread's question was routed already
    state.set(key, "waiting", QUESTION_MEMORY_MINUTES)

    local minutes = ctx.settings.answer_within_minutes
    return route("support", "a member asked a question"),
      tag("question"),
      schedule("answer-check", minutes, {
        thread = thread.id,
        title = thread.title,
        asker = message.author,
        minutes = minutes,
      })
  end,
}

-- When the answer clock runs out, tell support if the question is still waiting.
-- Timers have no thread in ctx: the thread's id and title travel in the timer's data.
rule {
  id = "unanswered-follow-up",
  title = "Unanswered questions are followed up",
  on = "timer_due",
  description = "Tells the support team about questions nobody answered in time",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local timer = event.timer
    if timer.name ~= "answer-check" then return end
    local data = timer.data
    if state.get("question:" .. data.thread) ~= "waiting" then return end -- answered meanwhile
    return notify("support", ("Nobody has answered \"%s\" (thread %s, asked by %s) within %d minutes."):format(
      data.title, data.thread, data.asker, data.minutes or ctx.settings.answer_within_minutes))
  end,
}

-- Greet every new member privately, by name.
rule {
  id = "welcome",
  title = "A welcome for new members",
  on = "member_joined",
  description = "Sends new members a private welcome message",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local name = ctx.member and ctx.member.name or "there"
    local text = ctx.settings.greeting:gsub("{name}", function() return name end)
    return contact(event.member, "support", text)
  end,
}
