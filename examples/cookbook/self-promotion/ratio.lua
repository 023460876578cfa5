-- Self-promotion ratio, "the 9:1 rule": for every post that links to your own site, nine
-- that do not. A member who keeps linking the same site is advertising, not talking.
--   self-promotion-ratio   holds a post linking to a site the member already linked to too often
--
-- State: "linked:<member id>:<site>" counts the member's posts that linked to the site.

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

--- The sites the text links to, once each, in lower case and without "www.".
---@param text string
---@return string[]
local function linked_sites(text)
  local sites, seen = {}, {}
  for word in text:lower():gmatch("%S+") do
    local address = word:match("^%p*https?://(.*)") or word:match("^%p*(www%..*)")
    if address ~= nil then
      local site = address:match("^[^/?#]*"):gsub("^.*@", ""):match("^[%w%.%-\128-\255]*")
      site = site:gsub("%.+$", ""):gsub("^www%.", "")
      if site ~= "" and not seen[site] then
        seen[site] = true
        sites[#sites + 1] = site
      end
    end
  end
  return sites
end

--- True when the site is on the list or is a subdomain of one on it.
---@param site string
---@param list string[]
---@return boolean
local function is_listed(site, list)
  for _, entry in ipairs(list) do
    entry = entry:lower()
    if site == entry or site:sub(-#entry - 1) == "." .. entry then return true end
  end
  return false
end

rule {
  id = "self-promotion-ratio",
  title = "More conversation than self-promotion",
  on = "message_posted",
  priority = 20,
  description = "A link to a site the member already links to in too many of their posts waits for a moderator",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local member, settings = ctx.member, ctx.settings
    if event.message.automated or is_exempt(member, settings) then return end
    local posts = member.history.posts + 1 -- counting this one
    local allowed = math.floor(posts * settings.max_share)
    local counted = {}
    for _, site in ipairs(linked_sites(event.message.text)) do
      if not is_listed(site, settings.ignored_domains) then
        local key = "linked:" .. member.id .. ":" .. site
        local linked = (state.get(key) or 0) + 1
        if linked > allowed then
          return hold{
            reason = ("%s would be linked in %d of your %d posts, and this community asks that at most 1 post "
              .. "in %d links to the same site (the 9:1 rule). Join other conversations first; a moderator will "
              .. "check this post"):format(site, linked, posts, math.floor(1 / settings.max_share + 0.5)),
            notice = "Most of your posts should be conversation, not links to the same site. "
              .. "Join other conversations, and your links will be welcome again.",
          }
        end
        counted[#counted + 1] = key
      end
    end
    for _, key in ipairs(counted) do state.incr(key) end -- only posts that go through count
  end,
}
