-- Duplicate cross-posting: the same question pasted into five threads splits the answers
-- across five places, and the same advert in five threads is broadcasting.
--   cross-posts   holds a text the member already posted in another thread within the window
--
-- State: "text:<member id>:<fingerprint>" holds the id of the thread the text was first posted in.

-- Characters people hide inside words to slip past filters: zero-width space,
-- zero-width non-joiner and joiner, word joiner, soft hyphen, byte-order mark.
local INVISIBLE = { "\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{00AD}", "\u{FEFF}" }

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

--- The text's letters only, in lower case: "Get 20% OFF!!" and "get 30% off" read the same.
---@param text string
---@return string
local function letters_of(text)
  for _, invisible in ipairs(INVISIBLE) do
    text = text:gsub(invisible, "")
  end
  return (text:lower():gsub("[%c%d%p%s]", ""))
end

--- A short, stable name for the letters (32-bit FNV-1a, in hex), so the store keeps a
--- number rather than a copy of the message.
---@param text string
---@return string
local function fingerprint(text)
  local h = 2166136261
  for i = 1, #text do
    h = ((h ~ text:byte(i)) * 16777619) & 0xFFFFFFFF
  end
  return ("%08x"):format(h)
end

rule {
  id = "cross-posts",
  title = "One question, one thread",
  on = "message_posted",
  priority = 20,
  description = "A text the member recently posted in another thread waits for a moderator",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local message, settings = event.message, ctx.settings
    if message.automated or is_exempt(ctx.member, settings) then return end
    local letters = letters_of(message.text)
    if (utf8.len(letters) or #letters) < settings.min_letters then return end

    local key = "text:" .. ctx.member.id .. ":" .. fingerprint(letters)
    local first_thread = state.get(key)
    if first_thread == nil then
      state.set(key, message.thread, settings.window_minutes)
      return
    end
    if first_thread == message.thread then return end -- repeating yourself in one thread is another matter
    return hold{
      reason = ("you already posted this text in thread %s: keep the conversation in one place, so every "
        .. "answer reaches you there. A moderator will check this copy"):format(first_thread),
      notice = "You already posted this in another thread. Keeping it in one place means every answer reaches "
        .. "you there.",
    }
  end,
}
