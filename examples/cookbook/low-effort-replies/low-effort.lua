-- Low-effort replies in question threads: "+1", "same", "bump" and "any update?" bury the
-- answers the asker is waiting for. They are removed with a note on what helps instead.
--   low-effort-replies   removes a reply with fewer than min_letters letters in a question thread

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

--- True for a question thread: tagged with question_tag, or with a title that ends with "?".
---@param thread ParleyThread
---@param question_tag string
---@return boolean
local function is_question(thread, question_tag)
  if thread.title:find("%?%s*$") then return true end
  for _, name in ipairs(thread.tags) do
    if name == question_tag then return true end
  end
  return false
end

rule {
  id = "low-effort-replies",
  title = "Replies that help answer",
  on = "message_posted",
  priority = 10,
  description = "Very short replies such as \"+1\" or \"same\" in question threads are removed, except the asker's",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local message, thread, settings = event.message, ctx.thread, ctx.settings
    if message.automated or message.author == thread.opener or is_exempt(ctx.member, settings) then return end
    if not is_question(thread, settings.question_tag) then return end
    local _, letters = message.text:gsub("%a", "")
    if letters >= settings.min_letters then return end
    return remove{
      reason = "too short to help answer the question. If you have the same problem, add what you tried "
        .. "or what is different for you; to follow the thread, subscribe to it instead of replying",
      notice = "If you have the same problem, say what you tried or what is different for you. "
        .. "To follow the thread, subscribe to it instead of replying.",
    }
  end,
}
