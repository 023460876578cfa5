-- Disclosure: members always know who is speaking, and who paid for it.
--   disclose-promotion     promotion by staff or brand representatives must be disclosed, or it is held
--   mark-sponsored         a post that calls itself sponsored must carry the sponsored mark, or it is flagged
--   no-posing-as-staff     members who present themselves as staff are flagged
--   label-automation       automated messages must say so, or they are flagged

-- Characters people hide inside words to slip past filters: zero-width space,
-- zero-width non-joiner and joiner, word joiner, soft hyphen, byte-order mark.
local INVISIBLE = { "\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{00AD}", "\u{FEFF}" }
-- The first bytes of those characters in UTF-8: a text without any holds none of them.
local INVISIBLE_LEAD = "[\194\226\239]"

--- The text as a filter should read it: lower case, invisible characters
--- removed, typographic apostrophes made plain, runs of spaces made one space.
---@param text string
---@return string
local function plain(text)
  text = text:lower():gsub("\u{2019}", "'")
  if text:find(INVISIBLE_LEAD) then -- most posts hold none: skip six passes over the text
    for _, invisible in ipairs(INVISIBLE) do
      text = text:gsub(invisible, "")
    end
  end
  return (text:gsub("%s+", " "))
end

--- The brand the community's staff speak for: the setting, or the community's name.
---@param ctx ParleyContext
---@return string
local function brand_of(ctx)
  local brand = ctx.settings.brand
  if brand == nil or brand == "" then
    return ctx.community.name
  end
  return brand
end

--- A search pattern for a word or phrase: it must start and end on a word's edge
--- when it starts or ends with a letter or digit ("#ad" does not match "#adventure",
--- "sponsored" does not match "unsponsored"). "{brand}" becomes the brand.
---@param word string
---@param brand string
---@return string
local function word_pattern(word, brand)
  local text = plain(word:gsub("{brand}", function() return brand end))
  local pattern = text:gsub("%p", "%%%0")
  if text:find("^%w") then pattern = "%f[%w]" .. pattern end
  if text:find("%w$") then pattern = pattern .. "%f[%W]" end
  return pattern
end

-- Each word's pattern per brand, built the first time it is needed: the lists
-- come from settings, so the same few words come back on every post.
local patterns = {}

--- `word_pattern`, built once per word and brand.
---@param word string
---@param brand string
---@return string
local function remembered_pattern(word, brand)
  local for_brand = patterns[brand]
  if for_brand == nil then
    for_brand = {}
    patterns[brand] = for_brand
  end
  local pattern = for_brand[word]
  if pattern == nil then
    pattern = word_pattern(word, brand)
    for_brand[word] = pattern
  end
  return pattern
end

--- The first word or phrase of the list found in the text, or nil.
---@param text string
---@param words string[]
---@param brand string
---@return string|nil
local function find_word(text, words, brand)
  local seen = plain(text)
  for _, word in ipairs(words) do
    if seen:find(remembered_pattern(word, brand)) then
      return word
    end
  end
  return nil
end

--- The first disclosure marker the text uses to label itself, or nil. A marker
--- inside a question ("Was that review sponsored?") asks; it does not disclose.
---@param text string
---@param markers string[]
---@return string|nil
local function find_disclosure(text, markers)
  for sentence, ending in (text .. "\n"):gmatch("([^%.!%?\n]+)([%.!%?\n]*)") do
    if not ending:find("?", 1, true) then
      local marker = find_word(sentence, markers, "")
      if marker ~= nil then return marker end
    end
  end
  return nil
end

--- True when the member speaks for the brand: staff, the owner, or anyone with an affiliation.
---@param member ParleyMember
---@return boolean
local function speaks_for_brand(member)
  return member.role == "staff" or member.role == "owner"
    or (member.affiliation ~= nil and member.affiliation ~= "")
end

-- Promotion by the brand's own people is disclosed: the sponsored mark or a marker in the text.
rule {
  id = "disclose-promotion",
  title = "Say when you are promoting",
  on = { "message_posted", "message_edited" },
  priority = 20,
  description = "Promotion by staff or brand representatives waits for a moderator unless it says it is sponsored",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local message, member = event.message, ctx.member
    if message.sponsored or not speaks_for_brand(member) then return end
    local word = find_word(message.text, ctx.settings.promo_words, "")
    if word == nil then return end
    if find_disclosure(message.text, ctx.settings.disclosure_markers) ~= nil then return end
    return hold{
      reason = ("promotional post (\"%s\") by a representative of %s without a disclosure: "
        .. "mark it sponsored or add a label such as \"%s\""):format(
        word, member.affiliation or brand_of(ctx), ctx.settings.disclosure_markers[1] or "#ad"),
      notice = "Members should always know who is promoting what. Mark your post as sponsored, "
        .. "or say in it that it is sponsored, and it can go up.",
    }
  end,
}

-- Text that says "sponsored" is disclosed to readers, but the host's sponsored
-- listings and reports rely on the mark: a moderator sets it. Flag, not hold:
-- nobody is misled while the post stays up.
rule {
  id = "mark-sponsored",
  title = "Sponsored posts carry the sponsored mark",
  on = { "message_posted", "message_edited" },
  priority = 10,
  description = "Posts that say they are sponsored but lack the sponsored mark are looked at by a moderator",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local message = event.message
    if message.sponsored then return end
    local marker = find_disclosure(message.text, ctx.settings.disclosure_markers)
    if marker == nil then return end
    return flag{ reason = ("says it is sponsored (\"%s\") but is not marked sponsored"):format(marker),
                 notice = "Thanks for saying it is sponsored. Next time, use the sponsored mark when you post." }
  end,
}

-- Staff speak as named people with a visible affiliation; members do not borrow it.
local NOT_STAFF = "Only the community's staff may present themselves as staff. If you work for the team, "
  .. "ask a moderator to mark your account as staff; if not, please change your name or edit your post."

rule {
  id = "no-posing-as-staff",
  title = "Only staff speak as staff",
  on = { "message_posted", "message_edited" },
  priority = 10,
  description = "Posts by members whose name, affiliation or words present them as staff are looked at by a moderator",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local member = ctx.member
    if member.role ~= "member" then return end
    local brand = brand_of(ctx)
    if member.affiliation ~= nil and plain(member.affiliation) == plain(brand) then
      return flag{ reason = ("affiliated with %s but not staff: a moderator should check the account"):format(brand),
                   notice = NOT_STAFF }
    end
    local name_word = find_word(member.name, ctx.settings.staff_name_words, brand)
    if name_word ~= nil then
      return flag{ reason = ("the display name \"%s\" presents a member as staff"):format(member.name),
                   notice = NOT_STAFF }
    end
    local claim = find_word(event.message.text, ctx.settings.staff_claims, brand)
    if claim ~= nil then
      return flag{ reason = ("a member claims to speak for %s's staff (\"%s\")"):format(brand,
                     (claim:gsub("{brand}", function() return brand end))),
                   notice = NOT_STAFF }
    end
  end,
}

-- Automation always says it is automation.
rule {
  id = "label-automation",
  title = "Automated posts say so",
  on = { "message_posted", "message_edited" },
  priority = 10,
  description = "Automated posts without a label saying they are automated are looked at by a moderator",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local message = event.message
    if not message.automated then return end
    if find_word(message.text, ctx.settings.automation_labels, "") ~= nil then return end
    return flag{ reason = ("automated message without a label such as \"%s\""):format(
                   ctx.settings.automation_labels[1] or "[bot]"),
                 notice = "Please label automated posts, so members know no person wrote them." }
  end,
}
