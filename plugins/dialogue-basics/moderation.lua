-- Moderation: what may be posted, and how it is said.
--   newcomer-links       links from brand-new members wait for a moderator
--   no-shouting          posts written mostly in capitals are flagged
--   disclose-sponsored   promotion by staff or brand representatives must be marked sponsored
--   report-review        reports reach the moderators; enough reports hold the message

-- Characters people hide inside words to slip past filters: zero-width space,
-- zero-width non-joiner and joiner, word joiner, soft hyphen, byte-order mark.
local INVISIBLE = { "\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{00AD}", "\u{FEFF}" }

-- Endings that make "word.ending" a web address even without "http" or "www".
local LINK_ENDINGS = {
  com = true, net = true, org = true, io = true, co = true, info = true, biz = true,
  xyz = true, shop = true, store = true, online = true, site = true, top = true,
  click = true, link = true, app = true, ly = true,
}

--- The text as a filter should read it: lower case, invisible characters
--- removed, runs of spaces made one space.
---@param text string
---@return string
local function plain(text)
  text = text:lower()
  for _, invisible in ipairs(INVISIBLE) do
    text = text:gsub(invisible, "")
  end
  return (text:gsub("%s+", " "))
end

--- True when the text holds a web address, also written as "site dot com" or "site[.]com".
---@param text string
---@return boolean
local function has_link(text)
  text = plain(text)
  if text:find("https?://") or text:find("www%.") then
    return true
  end
  -- "example [dot] com", "example(.)com", "example dot com" all become "example.com"
  text = text:gsub("%s*[%[%(]%s*dot%s*[%]%)]%s*", ".")
  text = text:gsub("%s*[%[%(]%.[%]%)]%s*", ".")
  text = text:gsub(" dot ", ".")
  for ending in text:gmatch("%w%.(%a%a+)%f[%A]") do
    if LINK_ENDINGS[ending] then
      return true
    end
  end
  return false
end

--- True when the member speaks for the brand: staff, the owner, or anyone with an affiliation.
---@param member ParleyMember
---@return boolean
local function speaks_for_brand(member)
  return member.role == "staff" or member.role == "owner"
    or (member.affiliation ~= nil and member.affiliation ~= "")
end

--- The first promotional word or phrase found in the text, or nil.
--- A word must start a word in the text ("sale" would not match "wholesale"),
--- but may go on ("discount" matches "discounted").
---@param text string
---@param words string[]
---@return string|nil
local function find_promo_word(text, words)
  local seen = plain(text)
  for _, word in ipairs(words) do
    local pattern = plain(word):gsub("%p", "%%%0")
    if word:find("^%w") then
      pattern = "%f[%w]" .. pattern
    end
    if seen:find(pattern) then
      return word
    end
  end
  return nil
end

-- Hold links from members nobody knows yet (trust 0) until a moderator has looked.
rule {
  id = "newcomer-links",
  title = "Links from new members are checked",
  on = { "message_posted", "message_edited" },
  priority = 20,
  description = "Posts with links by members who just joined wait for a moderator, to keep spam out",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local member = ctx.member
    if event.message.automated then return end
    if member.role ~= "member" or member.trust > 0 then return end
    if not has_link(event.message.text) then return end
    return hold{ reason = "links from new members are checked by a moderator before they appear",
                 notice = "Welcome! This is not about you: every new member's links are checked until "
                   .. "the community knows them a little." }
  end,
}

-- Flag posts that are mostly capitals; short acronyms (USB, WAN, DHCP) do not count.
rule {
  id = "no-shouting",
  title = "No shouting",
  on = { "message_posted", "message_edited" },
  priority = 10,
  description = "Posts written mostly in capital letters read as shouting, so a moderator looks at them",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    if event.message.automated then return end
    local letters, capitals = 0, 0
    for word in event.message.text:gmatch("%a+") do
      if #word >= 4 then -- words of 3 letters or fewer are usually acronyms
        local _, upper = word:gsub("%u", "")
        letters = letters + #word
        capitals = capitals + upper
      end
    end
    if letters < ctx.settings.shouting_min_letters then return end
    if capitals < letters * 0.7 then return end
    return flag{ reason = "written mostly in capital letters, which reads as shouting",
                 notice = "Lower case is easier to read: you can edit your post." }
  end,
}

-- Staff and brand representatives must mark promotional posts as sponsored.
rule {
  id = "disclose-sponsored",
  title = "Mark promotion as sponsored",
  on = { "message_posted", "message_edited" },
  priority = 20,
  description = "Promotional posts by staff or brand representatives wait for a moderator unless marked sponsored",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local message, member = event.message, ctx.member
    if message.sponsored or message.automated then return end
    if not speaks_for_brand(member) then return end
    local word = find_promo_word(message.text, ctx.settings.promo_words)
    if word == nil then return end
    local brand = member.affiliation or ctx.community.name
    return hold{
      reason = ("promotional post (\"%s\") by a representative of %s that is not marked sponsored: "
        .. "disclose it as sponsored"):format(word, brand),
      notice = "Members should always know when a post promotes something. "
        .. "Please mark promotional posts as sponsored when you post them.",
    }
  end,
}

-- Tell the moderators about every report; hold a message once enough different members reported it.
rule {
  id = "report-review",
  title = "Reported posts are reviewed",
  on = "report_filed",
  description = "Moderators hear about every report; a post reported by several members waits for a moderator",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local report = event.report
    -- each member's report counts once per message
    local already = "reported:" .. report.message .. ":" .. report.reporter
    if state.get(already) then return end
    state.set(already, true, 7 * 24 * 60)

    local reports = state.incr("reports:" .. report.message, 1, 7 * 24 * 60)
    local note = notify("moderators", ("%s reported message %s (report %d): %s"):format(
      report.reporter, report.message, reports, report.reason or "no reason given"))
    if reports < ctx.settings.reports_to_hold then
      return note
    end
    return note, hold{
      reason = ("reported by %d members; hidden until a moderator has looked"):format(reports),
      notice = "Several members reported this post. A moderator will read it and decide whether it goes back up.",
    }
  end,
}
