-- Engagement: recognising dialogue, and thanking members for it.
--   thank-helpers   the first person to answer someone else's question earns points
--   loyalty-offer   a member's 3rd post brings a thank-you offer, if they accepted offers
--
-- Reads the state key "question:<thread id>" written by route-questions (response.lua).

-- How long the plugin remembers a question thread (30 days, in minutes).
local QUESTION_MEMORY_MINUTES = 30 * 24 * 60

-- Points for answering another member's question first.
local POINTS_FOR_AN_ANSWER = 10

-- Members helping members: the first answer to a waiting question earns points.
rule {
  id = "thank-helpers",
  title = "Points for helping",
  on = "message_posted",
  priority = 5,
  description = "Gives points to the member who first answers someone else's question",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local message, thread = event.message, ctx.thread
    if thread == nil or message.automated or message.author == thread.opener then return end

    local key = "question:" .. thread.id
    if state.get(key) ~= "waiting" then return end -- not a question, or answered already
    state.set(key, "answered", QUESTION_MEMORY_MINUTES)

    -- Staff answering is their job: the question counts as answered, without points.
    if ctx.member.role ~= "member" then return end
    return score(POINTS_FOR_AN_ANSWER, "answered another member's question")
  end,
}

-- Thank members for taking part: one offer at their Nth post. Members who did not
-- accept offers never receive it; the core blocks it, whatever this rule asks.
rule {
  id = "loyalty-offer",
  title = "A thank-you for taking part",
  on = "message_posted",
  description = "Sends a one-time thank-you offer to members who take part, only if they accepted offers",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local member = ctx.member
    if event.message.automated or member.role ~= "member" then return end
    local posts = state.incr("posts:" .. member.id)
    if posts ~= ctx.settings.loyalty_after_posts then return end
    return contact(member.id, "offers", ctx.settings.loyalty_offer)
  end,
}
