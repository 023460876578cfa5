-- Volume: accounts that talk at the community rather than with it.
--   post-only-accounts   members who post a lot and almost never reply to anyone are flagged
--   posting-flood        too many posts in a short time are held; far too many also mute

--- True for posts the plugin leaves alone: automated replies, moderators and the owner.
---@param message ParleyMessage
---@param member ParleyMember
---@return boolean
local function exempt(message, member)
  return message.automated or member.role == "moderator" or member.role == "owner"
end

-- Flag a new post (not a reply) by a member whose posts are almost never replies to others.
rule {
  id = "post-only-accounts",
  title = "Take part in conversations",
  on = "message_posted",
  priority = 10,
  description = "New threads by members who post a lot but rarely reply to anyone are looked at by a moderator",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local message, member, settings = event.message, ctx.member, ctx.settings
    if exempt(message, member) or message.reply_to ~= nil then return end
    local posts, replies = member.history.posts, member.history.replies_to_others
    if posts < settings.post_only_min_posts then return end
    if replies >= posts * settings.post_only_min_reply_ratio then return end
    return flag{
      reason = ("%d posts but only %d replies to other members: this community is for conversation, "
        .. "not announcements"):format(posts, replies),
      notice = "This community is a conversation: try answering other members' questions and posts too.",
    }
  end,
}

-- Count each member's posts in a window; hold the ones over the limit, and mute far over it.
rule {
  id = "posting-flood",
  title = "No posting floods",
  on = "message_posted",
  priority = 30,
  description = "Many posts in a few minutes wait for a moderator, and a flood of them mutes the poster for a while",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local settings = ctx.settings
    if exempt(event.message, ctx.member) then return end
    local posts = state.incr("flood:" .. ctx.member.id, 1, settings.flood_window_minutes)
    if posts <= settings.flood_max_posts then return end
    local held = hold{
      reason = ("%d posts within %d minutes: slow down so others can answer"):format(
        posts, settings.flood_window_minutes),
      notice = "You are posting faster than people can read. Please slow down, so others can answer.",
    }
    -- mute once per window, when the count reaches flood_mute_posts (never before a post is held)
    if posts ~= math.max(settings.flood_mute_posts, settings.flood_max_posts + 1) then
      return held
    end
    return held, mute(settings.flood_mute_minutes,
      ("%d posts within %d minutes"):format(posts, settings.flood_window_minutes))
  end,
}
