-- Report thresholds: one report is a signal, several from different members are a verdict.
--   report-thresholds        tells moderators about each report; holds, then removes, as reporters add up
--   approval-clears-reports  when a moderator approves a reported message, its count starts again
--
-- State: "reports:<message id>" counts the different members who reported the message;
-- "reported:<message id>:<member id>" remembers that one member reported it.

rule {
  id = "report-thresholds",
  title = "Reported posts are reviewed",
  on = "report_filed",
  description = "Moderators hear of every report; a post several members report is hidden until a moderator looks",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local report, settings = event.report, ctx.settings
    if report.reporter == ctx.member.id then return end -- reporting your own message counts for nothing
    local ttl = settings.remember_days * 24 * 60
    local already = "reported:" .. report.message .. ":" .. report.reporter
    if state.get(already) then return end -- each member's report counts once
    state.set(already, true, ttl)

    local reporters = state.incr("reports:" .. report.message, 1, ttl)
    local note = notify(settings.moderators_team, ("%s reported %s's message %s (%d %s so far): %s"):format(
      report.reporter, ctx.member.name, report.message, reporters, reporters == 1 and "reporter" or "reporters",
      report.reason ~= "" and report.reason or "no reason given"))
    if reporters >= settings.remove_after then
      return note, remove{
        reason = ("reported by %d members, so it was taken down; a moderator will review the reports "
          .. "and can restore it"):format(reporters),
        notice = "Many members reported this post, so it was taken down for now. "
          .. "A moderator will read the reports and can put it back.",
      }
    elseif reporters >= settings.hold_after then
      return note, hold{
        reason = ("reported by %d members, so it is hidden until a moderator has looked"):format(reporters),
        notice = "Several members reported this post. A moderator will read it and decide whether it goes back up.",
      }
    end
    return note
  end,
}

rule {
  id = "approval-clears-reports",
  title = "Approval clears reports",
  on = "review_resolved",
  description = "Starts a reported message's count again when a moderator approves it",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local review = event.review
    if review.outcome ~= "approved" then return end
    local key = "reports:" .. review.message
    local reporters = state.get(key)
    if reporters == nil then return end -- never reported
    state.delete(key) -- members who reported it before still count once: their markers stay
    return notify(ctx.settings.moderators_team, ("%s approved message %s after %d reports; it is hidden "
      .. "again only if %d more members report it"):format(review.moderator, review.message, reporters,
      ctx.settings.hold_after))
  end,
}
