-- Slow mode: in a heated or busy thread, each member may post once every few minutes,
-- so that people read before they answer. Moderators switch it on by tagging the thread.
--   slow-mode   removes a post made too soon after the same member's last post in the thread
--
-- State: "last:<thread id>:<member id>" holds the time of the member's last post in the
-- thread, and expires when the wait is over.

--- True when the member's role is one the community exempts (the exempt_roles setting).
---@param member ParleyMember
---@param settings table<string, any>
---@return boolean
local function is_exempt(member, settings)
  for _, role in ipairs(settings.exempt_roles) do
    if member.role == role then return true end
  end
  return false
end

--- True when the thread has the tag.
---@param thread ParleyThread
---@param wanted string
---@return boolean
local function has_tag(thread, wanted)
  for _, name in ipairs(thread.tags) do
    if name == wanted then return true end
  end
  return false
end

rule {
  id = "slow-mode",
  title = "Slow mode",
  on = "message_posted",
  priority = 30,
  description = "In a slow-mode thread, a post made too soon after the member's last one there is removed",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local settings, thread = ctx.settings, ctx.thread
    if event.message.automated or is_exempt(ctx.member, settings) then return end
    if settings.thread_tag ~= "" and not has_tag(thread, settings.thread_tag) then return end

    local key = "last:" .. thread.id .. ":" .. ctx.member.id
    local now, wait = parley.now(), settings.minutes_between_posts * 60
    local last = state.get(key)
    if last ~= nil and now - last < wait then
      local minutes = math.ceil((last + wait - now) / 60)
      local later = ("%d %s"):format(minutes, minutes == 1 and "minute" or "minutes")
      return remove{
        reason = ("slow mode is on in this thread: one post every %d minutes, so everyone can read before "
          .. "answering. Copy your text and post it again in %s"):format(settings.minutes_between_posts, later),
        notice = ("This thread is in slow mode, so everyone can read before answering. "
          .. "Copy your text and post it again in %s."):format(later),
      }
    end
    state.set(key, now, settings.minutes_between_posts)
  end,
}
