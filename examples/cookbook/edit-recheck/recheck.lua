-- Edit-after-approval re-check: a moderator approved what the post said then. A post that
-- is rewritten, or gets a link, after approval goes back to review; fixing a typo does not.
--   recheck-approved-edits   remembers approvals; holds an approved post that is rewritten or gets a link
--
-- State: "approved:<message id>" is set when a moderator approves the message.

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

--- The addresses linked in the text (words starting with http://, https:// or www.), as a set.
---@param text string
---@return table<string, boolean>
local function links_in(text)
  local links = {}
  for word in text:lower():gmatch("%S+") do
    local link = word:match("^%p*(https?://%S+)") or word:match("^%p*(www%.%S+)")
    if link ~= nil then links[(link:gsub("%p+$", ""))] = true end
  end
  return links
end

--- The share (0 to 1) of the new text's words that were not in the old text.
---@param old string
---@param new string
---@return number
local function new_share(old, new)
  local before, total, added = {}, 0, 0
  for word in old:lower():gmatch("%w+") do before[word] = true end
  for word in new:lower():gmatch("%w+") do
    total = total + 1
    if not before[word] then added = added + 1 end
  end
  return total == 0 and 0 or added / total
end

-- What the member is told: fixing a typo never sends a post back to review.
local RECHECK = "A moderator approved your post as it was. Small fixes, like typos, go up at once; "
  .. "a bigger change or a new link is read again first."

rule {
  id = "recheck-approved-edits",
  title = "Changed posts are checked again",
  on = { "review_resolved", "message_edited" },
  priority = 20,
  description = "An approved post that is rewritten or gets a new link waits for a moderator again",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    if event.kind == "review_resolved" then
      if event.review.outcome == "approved" then
        state.set("approved:" .. event.review.message, true, 90 * 24 * 60)
      end
      return
    end

    local message = event.message
    if not state.get("approved:" .. message.id) or is_exempt(ctx.member, ctx.settings) then return end
    local old, new = event.previous_text or "", message.text
    local old_links = links_in(old)
    for link in pairs(links_in(new)) do
      if not old_links[link] then
        return hold{ reason = "a link was added after a moderator approved this post: a moderator will check "
          .. "the new version before it appears again", notice = RECHECK }
      end
    end
    if new_share(old, new) >= ctx.settings.changed_share then
      return hold{ reason = "this post was rewritten after a moderator approved it: a moderator will check the "
        .. "new version before it appears again", notice = RECHECK }
    end
  end,
}
