-- Escalate unanswered questions: a question nobody answers is a member left alone. After
-- first_minutes the support team hears about it; if it is still waiting, second_team does.
--   start-answer-clock    starts the clock when a member opens a thread with a question; any answer stops it
--   escalate-unanswered   when the clock runs out and nobody has answered, tells the next team
--
-- State: "waiting:<thread id>" is set while a question waits for its first answer.

-- How long the plugin remembers a waiting question (30 days, in minutes).
local MEMORY_MINUTES = 30 * 24 * 60

rule {
  id = "start-answer-clock",
  title = "Questions get an answer clock",
  on = "message_posted",
  priority = 10,
  description = "Starts the answer clock for a member's question; the first reply by someone else stops it",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local message, thread = event.message, ctx.thread
    if message.automated then return end
    if message.author ~= thread.opener then
      state.delete("waiting:" .. thread.id) -- someone answered
      return
    end
    if #thread.messages > 0 or ctx.member.role ~= "member" then return end -- only a member's opening post
    if not (thread.title .. " " .. message.text):find("?", 1, true) then return end
    state.set("waiting:" .. thread.id, true, MEMORY_MINUTES)
    return schedule("unanswered", ctx.settings.first_minutes, {
      thread = thread.id, title = thread.title, asker = ctx.member.name, stage = 1,
    })
  end,
}

rule {
  id = "escalate-unanswered",
  title = "Unanswered questions are escalated",
  on = "timer_due",
  description = "Tells a first team, then a second one, about a question that is still unanswered",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local timer, settings = event.timer, ctx.settings
    if timer.name ~= "unanswered" then return end
    local data = timer.data
    if not state.get("waiting:" .. data.thread) then return end -- answered meanwhile
    if data.stage == 1 then
      return notify(settings.first_team, ("Nobody has answered %s's question \"%s\" (thread %s) in %d minutes."):format(
        data.asker, data.title, data.thread, settings.first_minutes)),
        schedule("unanswered", settings.second_minutes, {
          thread = data.thread, title = data.title, asker = data.asker, stage = 2,
        })
    end
    return notify(settings.second_team, ("Still unanswered after %d minutes, and %s was told: %s's question "
      .. "\"%s\" (thread %s)."):format(settings.first_minutes + settings.second_minutes, settings.first_team,
      data.asker, data.title, data.thread))
  end,
}
