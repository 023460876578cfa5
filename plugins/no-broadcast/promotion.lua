-- Promotion: ad copy dropped into conversations.
--   repeated-posts         the same (or nearly the same) text posted again and again is held
--   link-heavy-newcomers   posts with many links from new or untrusted members are held

-- Characters people hide inside words to slip past filters: zero-width space,
-- zero-width non-joiner and joiner, word joiner, soft hyphen, byte-order mark.
local INVISIBLE = { "\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{00AD}", "\u{FEFF}" }

--- The text without invisible characters.
---@param text string
---@return string
local function visible(text)
  for _, invisible in ipairs(INVISIBLE) do
    text = text:gsub(invisible, "")
  end
  return text
end

--- True for posts the plugin leaves alone: automated replies, moderators and the owner.
---@param message ParleyMessage
---@param member ParleyMember
---@return boolean
local function exempt(message, member)
  return message.automated or member.role == "moderator" or member.role == "owner"
end

--- The text's fingerprint: its letters only, in lower case. Digits, punctuation,
--- spaces and invisible characters are dropped, so "Get 20% OFF!!" and
--- "get 30% off" have the same fingerprint.
---@param text string
---@return string
local function fingerprint(text)
  return (visible(text):lower():gsub("[%c%d%p%s]", ""))
end

--- A short, stable name for a fingerprint (32-bit FNV-1a, in hex), so the store
--- keeps a number rather than a copy of the message.
---@param text string
---@return string
local function hash(text)
  local h = 2166136261
  for i = 1, #text do
    h = ((h ~ text:byte(i)) * 16777619) & 0xFFFFFFFF
  end
  return ("%08x"):format(h)
end

--- How many links the text holds: words that start a web address (http://, https://, www.).
---@param text string
---@return integer
local function count_links(text)
  local links = 0
  for word in visible(text):lower():gmatch("%S+") do
    if word:find("https?://") or word:find("^%p*www%.") then
      links = links + 1
    end
  end
  return links
end

-- Hold the same text when a member posts it more than `same_text_max` times in the window.
rule {
  id = "repeated-posts",
  title = "No repeated posts",
  on = "message_posted",
  priority = 20,
  description = "The same or nearly the same text posted again and again waits for a moderator",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local message, settings = event.message, ctx.settings
    if exempt(message, ctx.member) then return end
    local letters = fingerprint(message.text)
    if (utf8.len(letters) or #letters) < settings.same_text_min_letters then return end

    local key = "said:" .. ctx.member.id .. ":" .. hash(letters)
    local times = state.incr(key, 1, settings.same_text_window_minutes)
    if times <= settings.same_text_max then return end
    return hold{
      reason = ("the same text was posted %d times within %d minutes: "
        .. "join the conversation instead of repeating a message"):format(times, settings.same_text_window_minutes),
      notice = "The same message posted again and again reads as advertising. "
        .. "Please reply to what people say in the threads instead.",
    }
  end,
}

-- Hold posts with many links from members who are new or not yet trusted.
rule {
  id = "link-heavy-newcomers",
  title = "Few links from new members",
  on = { "message_posted", "message_edited" },
  priority = 20,
  description = "Posts with several links by members who are new here wait for a moderator, to keep spam out",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local member, settings = ctx.member, ctx.settings
    if exempt(event.message, member) then return end
    local links = count_links(event.message.text)
    if links <= settings.max_links then return end
    local age_days = (parley.now() - member.joined_at) // 86400
    if member.trust >= settings.links_trust_below and age_days >= settings.links_new_days then return end
    return hold{
      reason = ("%d links in one post from a new member: a moderator checks it before it appears"):format(links),
      notice = "While you are new here, a moderator checks posts with several links before they appear. "
        .. "Posts with fewer links appear at once.",
    }
  end,
}
