-- Link allowlist with role and trust exemptions: members link to the sites the community
-- knows; staff, moderators and trusted members are trusted to link anywhere.
--   allowed-link-domains   holds a post linking to a site that is not on the allowed list

--- True when the member is exempt: a role listed in exempt_roles, or trust at or above exempt_trust.
---@param member ParleyMember
---@param settings table<string, any>
---@return boolean
local function is_exempt(member, settings)
  for _, role in ipairs(settings.exempt_roles) do
    if member.role == role then return true end
  end
  return member.trust >= settings.exempt_trust
end

--- The site names the text links to, in lower case: "https://user@Docs.Acme.example:443/x"
--- gives "docs.acme.example"; "www.shop.example" gives "shop.example".
---@param text string
---@return string[]
local function linked_domains(text)
  local domains = {}
  for word in text:lower():gmatch("%S+") do
    local address = word:match("^%p*https?://(.*)") or word:match("^%p*(www%..*)")
    if address ~= nil then
      -- the part before the path, without "user@", a port, or punctuation after it
      local host = address:match("^[^/?#]*"):gsub("^.*@", ""):match("^[%w%.%-\128-\255]*")
      host = host:gsub("%.+$", ""):gsub("^www%.", "")
      if host ~= "" then domains[#domains + 1] = host end
    end
  end
  return domains
end

--- True when the domain is on the list or is a subdomain of one on it.
---@param domain string
---@param allowed string[]
---@return boolean
local function is_allowed(domain, allowed)
  for _, site in ipairs(allowed) do
    site = site:lower()
    if domain == site or domain:sub(-#site - 1) == "." .. site then return true end
  end
  return false
end

rule {
  id = "allowed-link-domains",
  title = "Links to sites the community knows",
  on = { "message_posted", "message_edited" },
  priority = 20,
  description = "Links to sites the community does not know yet wait for a moderator, except from trusted members",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    if event.message.automated or is_exempt(ctx.member, ctx.settings) then return end
    for _, domain in ipairs(linked_domains(event.message.text)) do
      if not is_allowed(domain, ctx.settings.allowed_domains) then
        return hold{
          reason = ("links to %s, which is not on this community's list of allowed sites: a moderator "
            .. "will check the link before your post appears"):format(domain),
          notice = "A moderator checks links to sites the community does not know yet. "
            .. "If the site is useful to others, they can add it for everyone.",
        }
      end
    end
  end,
}
