-- Keyword removal with exceptions: the phrases scammers use are removed, but a member who
-- asks "is this a scam?" about a message they received is not a scammer.
--   remove-keywords   removes a post with a listed phrase; with an exception it stays up, flagged

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

--- The text as the filter reads it: lower case, invisible characters dropped, and every
--- run of spaces and punctuation made one space, with a space at each end.
--- "Is THIS a scam?!" becomes " is this a scam ".
---@param text string
---@return string
local function words_of(text)
  text = text:lower()
  for _, invisible in ipairs(INVISIBLE) do
    text = text:gsub(invisible, "")
  end
  return " " .. text:gsub("[^%w\128-\255]+", " ") .. " "
end

--- The first word or phrase of the list that the text uses as whole words, or nil.
---@param text string the text, read by words_of
---@param phrases string[]
---@return string|nil
local function first_found(text, phrases)
  for _, phrase in ipairs(phrases) do
    local wanted = words_of(phrase)
    if wanted:find("[^ ]") and text:find(wanted, 1, true) then return phrase end
  end
  return nil
end

rule {
  id = "remove-keywords",
  title = "No scam phrases",
  on = { "message_posted", "message_edited" },
  priority = 30,
  description = "Posts with phrases scammers use are removed; a post that asks or warns about a scam stays up",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    if event.message.automated or is_exempt(ctx.member, ctx.settings) then return end
    local text = words_of(event.message.text)
    local keyword = first_found(text, ctx.settings.keywords)
    if keyword == nil then return end
    local exception = first_found(text, ctx.settings.exceptions)
    if exception ~= nil then
      return flag{
        reason = ("mentions \"%s\" but also says \"%s\", so it looks like a member asking or warning "
          .. "others: it stays up, and a moderator will look"):format(keyword, exception),
        notice = "Thanks for asking or warning others: a moderator will read along and can help.",
      }
    end
    return remove{
      reason = ("uses \"%s\", a phrase this community removes because scammers use it. If you meant "
        .. "to ask about a message you received, report that message or ask the moderators"):format(keyword),
      notice = "If you meant to ask about a message you received, report that message or ask the moderators.",
    }
  end,
}
