-- New-account link limits: most link spam comes from accounts that are days old.
--   new-account-links   holds a post with more than max_links links from a new or low-trust member

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

--- How many links the text holds: words that start with http://, https:// or www.
---@param text string
---@return integer
local function count_links(text)
  local links = 0
  for word in text:lower():gmatch("%S+") do
    if word:find("^%p*https?://") or word:find("^%p*www%.") then
      links = links + 1
    end
  end
  return links
end

rule {
  id = "new-account-links",
  title = "Few links from new members",
  on = { "message_posted", "message_edited" },
  priority = 20,
  description = "Posts with several links by members who are new here wait for a moderator, to keep spam out",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local member, settings = ctx.member, ctx.settings
    if event.message.automated or is_exempt(member, settings) then return end
    local age_days = (parley.now() - member.joined_at) // 86400
    if age_days >= settings.new_days and member.trust >= settings.trust_below then return end
    local links = count_links(event.message.text)
    if links <= settings.max_links then return end
    return hold{
      reason = ("%d links in one post: until members have been here %d %s and reached trust level %d, "
        .. "they may post %d per post. A moderator will check this post before it appears"):format(links,
        settings.new_days, settings.new_days == 1 and "day" or "days", settings.trust_below, settings.max_links),
      notice = "While you are new here, a moderator checks posts with several links before they appear. "
        .. "It is nothing personal: every new member's posts are treated the same.",
    }
  end,
}
