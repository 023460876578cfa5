-- Follow-up: noticing when somebody answered, and when nobody did.
--   mark-answered          a reply by staff or a trusted member answers the thread's waiting signals
--   escalate-unanswered    when the answer clock runs out and nobody answered, the team is told
--
-- Reads and writes the state key "signal:<thread id>:<kind>" of route-signals (listening.lua):
-- the id of the member who raised it while it waits, true once it was answered.

-- How long the plugin remembers a signal (30 days, in minutes).
local SIGNAL_MEMORY_MINUTES = 30 * 24 * 60

-- The kinds of signal route-signals knows.
local KINDS = { "question", "complaint", "feedback" }

-- Staff answer; so do members the community trusts. Their reply answers every waiting
-- signal in the thread that someone else raised. Runs before route-signals, so a new
-- signal in the same post starts waiting afresh.
rule {
  id = "mark-answered",
  title = "Answered threads are marked",
  on = "message_posted",
  priority = 20,
  description = "Tags a thread answered when staff or a trusted member answers a question, complaint or feedback in it",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local message, member, thread = event.message, ctx.member, ctx.thread
    if thread == nil or message.automated then return end
    if member.role == "member" and member.trust < ctx.settings.answered_by_trust then return end

    local answered = false
    for _, kind in ipairs(KINDS) do
      local key = "signal:" .. thread.id .. ":" .. kind
      local raised_by = state.get(key)
      if type(raised_by) == "string" and raised_by ~= message.author then
        state.set(key, true, SIGNAL_MEMORY_MINUTES)
        answered = true
      end
    end
    if not answered then return end
    for _, existing in ipairs(thread.tags) do
      if existing == "answered" then return end -- answered before; the tag is there
    end
    return tag("answered")
  end,
}

-- When the answer clock runs out, tell the team if the signal is still waiting.
-- Timers have no thread in ctx: the thread, kind and team travel in the timer's data.
rule {
  id = "escalate-unanswered",
  title = "Unanswered posts are followed up",
  on = "timer_due",
  description = "Tells the answering team about questions, complaints and feedback nobody answered in time",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local timer = event.timer
    if timer.name ~= "answer-check" then return end
    local data = timer.data
    if type(state.get("signal:" .. data.thread .. ":" .. data.kind)) ~= "string" then return end -- answered
    return notify(data.team, ("Nobody from the team has answered the %s in \"%s\" (thread %s, raised by %s) "
      .. "within %d minutes."):format(data.kind, data.title, data.thread, data.raised_by,
      data.minutes or ctx.settings.answer_within_minutes))
  end,
}
