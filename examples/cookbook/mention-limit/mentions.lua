-- Mention limits: an @mention pings a person; a post that pings a crowd is a broadcast.
--   mention-limit   holds a post with more than max_mentions different @mentions; mutes repeat offenders
--
-- State: "held:<member id>" counts the member's held posts within the mute window.

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

--- How many different members the text @mentions. "@Ada" and "@ada" are one member;
--- an e-mail address like "ada@example.com" is not a mention.
---@param text string
---@return integer
local function count_mentions(text)
  local seen, count = {}, 0
  for name in (" " .. text):gmatch("[^%w_]@([%w_%-]+)") do
    name = name:lower()
    if not seen[name] then
      seen[name] = true
      count = count + 1
    end
  end
  return count
end

rule {
  id = "mention-limit",
  title = "Mention only who can help",
  on = { "message_posted", "message_edited" },
  priority = 20,
  description = "Posts that @mention many members wait for a moderator; members who keep doing it are muted",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local settings = ctx.settings
    if event.message.automated or is_exempt(ctx.member, settings) then return end
    local mentions = count_mentions(event.message.text)
    if mentions <= settings.max_mentions then return end
    local held = hold{
      reason = ("mentions %d members, and a post may mention at most %d: ask the people who can help, "
        .. "or post in the thread without mentions. A moderator will check it"):format(mentions, settings.max_mentions),
      notice = "Each @mention pings someone. Please mention only the people who can help, "
        .. "or post without mentions: people who follow the thread will see it.",
    }
    local times = state.incr("held:" .. ctx.member.id, 1, settings.mute_window_minutes)
    if times ~= settings.mute_after then return held end
    return held, mute(settings.mute_minutes, ("%d posts mentioning too many members within %d minutes"):format(
      times, settings.mute_window_minutes))
  end,
}
