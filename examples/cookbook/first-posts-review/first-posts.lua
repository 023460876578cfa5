-- First posts of newcomers go to review: a moderator reads a newcomer's first posts before
-- everyone else does; once enough were approved, the newcomer posts like everyone.
--   first-posts-review        holds a newcomer's post while they have fewer than approvals_needed approvals
--   count-first-approvals     counts approvals, and tells the member when their posts will appear at once
--
-- State: "held:<message id>" marks a post this rule held; "approved:<member id>" counts approvals.

rule {
  id = "first-posts-review",
  title = "New members' first posts are read first",
  on = "message_posted",
  priority = 20,
  description = "A new member's first few posts wait for a moderator, until some of them were approved",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local member, settings = ctx.member, ctx.settings
    if event.message.automated or member.role ~= "member" or member.trust >= settings.trusted_from then return end
    local approved = state.get("approved:" .. member.id) or 0
    if approved >= settings.approvals_needed then return end
    state.set("held:" .. event.message.id, true, 30 * 24 * 60)
    return hold{
      reason = ("a moderator reads a new member's first posts before they appear (%d of %d approved so far); "
        .. "thanks for your patience"):format(approved, settings.approvals_needed),
      notice = "Welcome! A moderator reads every new member's first few posts. "
        .. "Once some of yours are approved, your posts appear as soon as you send them.",
    }
  end,
}

rule {
  id = "count-first-approvals",
  title = "New members hear when review ends",
  on = "review_resolved",
  description = "Counts approved first posts and tells the member once their posts appear without review",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local review = event.review
    if review.outcome ~= "approved" or not state.get("held:" .. review.message) then return end
    state.delete("held:" .. review.message)
    local approved = state.incr("approved:" .. ctx.member.id)
    if approved ~= ctx.settings.approvals_needed then return end
    return contact(ctx.member.id, "support", ("Thanks for your first posts, %s! A moderator approved them, "
      .. "so from now on your posts appear as soon as you send them."):format(ctx.member.name))
  end,
}
