-- Consent: promotion needs the permission of the member it is addressed to.
--   honour-consent-changes       remembers every consent change at once; tells the outreach team about withdrawals
--   promotion-needs-permission   holds an offer or news item addressed to a member who did not opt in
--   staff-honours-refusals       tells moderators when staff address promotion to a member who said no
--
-- What the plugin knows about a member's consent is kept in the state key
-- "consent:<member id>:<purpose>": "granted", "refused" (the member said no in a
-- consent change) or "not-given" (seen without consent, never asked). It learns it
-- from consent_changed events and from the consents of every member who posts.
-- Members it knows nothing about are left alone: the plugin acts on what it knows.

-- The purposes a post can promote, with the setting that lists their words.
local PROMOTION_PURPOSES = {
  { purpose = "offers", setting = "offer_words" },
  { purpose = "news", setting = "news_words" },
}

-- Characters people hide inside words to slip past filters: zero-width space,
-- zero-width non-joiner and joiner, word joiner, soft hyphen, byte-order mark.
local INVISIBLE = { "\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{00AD}", "\u{FEFF}" }
-- The first bytes of those characters in UTF-8: a text without any holds none of them.
local INVISIBLE_LEAD = "[\194\226\239]"

--- The text as a filter should read it: lower case, invisible characters
--- removed, runs of spaces made one space.
---@param text string
---@return string
local function plain(text)
  text = text:lower()
  if text:find(INVISIBLE_LEAD) then -- most posts hold none: skip six passes over the text
    for _, invisible in ipairs(INVISIBLE) do
      text = text:gsub(invisible, "")
    end
  end
  return (text:gsub("%s+", " "))
end

-- Each listed word's pattern, built the first time the word is seen: the lists
-- come from settings, so the same few words come back on every post.
local patterns = {}

--- The search pattern for one listed word or phrase.
---@param word string
---@return string
local function pattern_for(word)
  local pattern = patterns[word]
  if pattern == nil then
    pattern = plain(word):gsub("%p", "%%%0")
    if word:find("^%w") then
      pattern = "%f[%w]" .. pattern
    end
    patterns[word] = pattern
  end
  return pattern
end

--- The first word or phrase of the list found in the text, or nil.
--- A word must start a word in the text ("deal" would not match "ideal"),
--- but may go on ("discount" matches "discounted").
---@param seen string the text, already `plain`
---@param words string[]
---@return string|nil
local function find_plain_word(seen, words)
  for _, word in ipairs(words) do
    if seen:find(pattern_for(word)) then
      return word
    end
  end
  return nil
end

--- `find_plain_word` on text as written.
---@param text string
---@param words string[]
---@return string|nil
local function find_word(text, words)
  return find_plain_word(plain(text), words)
end

--- What the post promotes: the purpose ("offers" or "news") and the word that
--- gave it away, or nil when it promotes nothing.
---@param text string
---@param settings table<string, any>
---@return string|nil purpose
---@return string|nil word
local function promotion_purpose(text, settings)
  local seen = plain(text)
  for _, kind in ipairs(PROMOTION_PURPOSES) do
    local word = find_plain_word(seen, settings[kind.setting])
    if word ~= nil then
      return kind.purpose, word
    end
  end
  return nil, nil
end

--- The state key for one member's consent to one purpose.
---@param member string
---@param purpose string
---@return string
local function consent_key(member, purpose)
  return "consent:" .. member:lower() .. ":" .. purpose
end

--- Remembers the consents of a member the plugin sees. A "no" the member chose
--- in a consent change stays "refused"; any other "no" is "not-given".
---@param member ParleyMember
local function learn(member)
  for _, kind in ipairs(PROMOTION_PURPOSES) do
    -- Written only when it changes: a store saves every write, and most
    -- posts come from members whose choices the plugin already knows.
    local key = consent_key(member.id, kind.purpose)
    local known = state.get(key)
    if member.consents[kind.purpose] then
      if known ~= "granted" then state.set(key, "granted") end
    elseif known ~= "refused" and known ~= "not-given" then
      state.set(key, "not-given")
    end
  end
end

--- The members a message is addressed to: everyone it mentions as @id, and the
--- author of the message it replies to (the thread's opener when that message is
--- no longer among the thread's recent messages). Never the author.
---@param message ParleyMessage
---@param thread ParleyThread|nil
---@return string[]
local function addressees(message, thread)
  local found, seen = {}, { [message.author:lower()] = true }
  local function add(id)
    id = id:lower()
    if not seen[id] then
      seen[id] = true
      found[#found + 1] = id
    end
  end
  -- "@bob" counts; "ada@example.com" is an address, not a mention
  for id in (" " .. message.text):gmatch("[^%w_]@([%w_%-]+)") do
    add(id)
  end
  if message.reply_to ~= nil and thread ~= nil then
    local answered = thread.opener
    for _, earlier in ipairs(thread.messages) do
      if earlier.id == message.reply_to then
        answered = earlier.author
      end
    end
    add(answered)
  end
  return found
end

--- True when the member speaks for the community: staff, a moderator or the owner.
---@param member ParleyMember
---@return boolean
local function is_staff(member)
  return member.role == "staff" or member.role == "moderator" or member.role == "owner"
end

-- A consent change counts from this moment on: remember it before the next post.
rule {
  id = "honour-consent-changes",
  title = "Your contact choices count at once",
  on = "consent_changed",
  priority = 30,
  description = "A change to what a member may be contacted for counts at once; staff are told when one is withdrawn",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local change = event.consent
    state.set(consent_key(change.member, change.purpose), change.granted and "granted" or "refused")
    if change.granted then return end
    return notify(ctx.settings.outreach_team, ("%s no longer wants to be contacted for %s: "
      .. "stop any %s addressed to them, in threads or in private."):format(change.member, change.purpose,
      change.purpose))
  end,
}

-- An offer or news item addressed to a member who did not opt in waits for a moderator.
rule {
  id = "promotion-needs-permission",
  title = "Offers and news only for members who want them",
  on = { "message_posted", "message_edited" },
  priority = 20,
  description = "An offer or news item that mentions or answers a member who did not agree to it waits for a moderator",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    learn(ctx.member) -- the author's own choices, for the posts that answer them later
    local message = event.message
    local purpose, word = promotion_purpose(message.text, ctx.settings)
    if purpose == nil then return end
    local unwilling = {}
    for _, member in ipairs(addressees(message, ctx.thread)) do
      local known = state.get(consent_key(member, purpose))
      if known == "refused" or known == "not-given" then
        unwilling[#unwilling + 1] = member
      end
    end
    if #unwilling == 0 then return end
    return hold{
      reason = ("%s (\"%s\") addressed to %s, who did not agree to be contacted for %s"):format(
        purpose == "offers" and "an offer" or "a news item", word, table.concat(unwilling, ", "), purpose),
      notice = "Offers and news reach only members who asked for them, so please keep them out of replies "
        .. "and mentions. You can edit your post to leave the offer or news out.",
    }
  end,
}

-- Staff who address an offer to a member who said no get a moderator's attention:
-- it is a habit to correct, not one post to hide.
rule {
  id = "staff-honours-refusals",
  title = "Staff respect a member's no",
  on = { "message_posted", "message_edited" },
  priority = 10,
  description = "A staff post with an offer for a member who said no to offers waits for a moderator, who is told",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local message = event.message
    if not is_staff(ctx.member) then return end
    local word = find_word(message.text, ctx.settings.offer_words)
    if word == nil then return end
    local refused = {}
    for _, member in ipairs(addressees(message, ctx.thread)) do
      if state.get(consent_key(member, "offers")) == "refused" then
        refused[#refused + 1] = member
      end
    end
    if #refused == 0 then return end
    local who = table.concat(refused, ", ")
    return hold(("staff offer (\"%s\") to %s, who refused offers"):format(word, who)),
      notify("moderators", ("%s (%s) addressed an offer to %s, who refused offers, in message %s."):format(
        ctx.member.name, ctx.member.role, who, message.id))
  end,
}
