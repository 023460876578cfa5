-- Thank-you detection: when the asker replies "thanks, that fixed it!" to someone's answer,
-- the thread is answered, and the member who helped gets the credit.
--   thanks-marks-answered   tags the thread "answered" and gives points to the helper

--- The text as the rule reads it: lower case, spaces and punctuation made one space,
--- with a space at each end; apostrophes are kept ("didn't").
---@param text string
---@return string
local function words_of(text)
  return " " .. text:lower():gsub("\u{2019}", "'"):gsub("[^%w'\128-\255]+", " ") .. " "
end

--- True when the text uses one of the words or phrases, as whole words.
---@param text string the text, read by words_of
---@param phrases string[]
---@return boolean
local function uses(text, phrases)
  for _, phrase in ipairs(phrases) do
    local wanted = words_of(phrase)
    if wanted:find("[^ ]") and text:find(wanted, 1, true) then return true end
  end
  return false
end

rule {
  id = "thanks-marks-answered",
  title = "Thanks mark a thread answered",
  on = "message_posted",
  description = "Tags the thread answered when its asker thanks someone's reply, and gives the helper points",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local message, thread, settings = event.message, ctx.thread, ctx.settings
    if message.author ~= thread.opener or message.reply_to == nil then return end
    for _, name in ipairs(thread.tags) do
      if name == "answered" then return end -- answered before
    end
    local text = words_of(message.text)
    if not uses(text, settings.thanks_words) or uses(text, settings.not_solved_words) then return end

    local helper -- the author of the reply being thanked
    for _, earlier in ipairs(thread.messages) do
      if earlier.id == message.reply_to then helper = earlier end
    end
    if helper == nil or helper.author == message.author or helper.automated then return end
    return tag("answered"), score(settings.points, ("their reply solved %s's question in \"%s\""):format(
      ctx.member.name, thread.title), helper.author)
  end,
}
