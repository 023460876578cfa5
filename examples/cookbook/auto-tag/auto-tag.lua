-- Auto-tag threads by keyword: a new thread about billing gets the tag "billing" (and goes to
-- the billing team), one about Wi-Fi the tag "wifi", so people find and answer threads by topic.
--   auto-tag   tags a new thread by the words in its title and opening post

--- The text as the rule reads it: lower case, every run of spaces and punctuation except
--- "-" and "." made one space, with a space at each end. "Wi-Fi drops!" gives " wi-fi drops ".
---@param text string
---@return string
local function words_of(text)
  return " " .. text:lower():gsub("[^%w%-%.\128-\255]+", " "):gsub("%.+ ", " "):gsub("%.+$", "") .. " "
end

--- Splits "name=a|b|c" into "name" and { "a", "b", "c" }; nil for an entry without "=".
---@param entry string
---@return string|nil name
---@return string[] values
local function split_entry(entry)
  local name, rest = entry:match("^%s*([^=]-)%s*=(.*)$")
  local values = {}
  for value in (rest or ""):gmatch("[^|]+") do
    values[#values + 1] = value:match("^%s*(.-)%s*$")
  end
  return name, values
end

rule {
  id = "auto-tag",
  title = "Threads tagged by topic",
  on = "message_posted",
  description = "Tags a new thread by its topic, and passes some topics to the team that handles them",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local thread = ctx.thread
    if event.message.automated or #thread.messages > 0 then return end -- only a thread's opening post
    local text = words_of(thread.title .. " " .. event.message.text)
    local teams = {}
    for _, entry in ipairs(ctx.settings.teams) do
      local name, values = split_entry(entry)
      if name ~= nil and values[1] ~= nil then teams[name] = values[1] end
    end

    local proposals, routed = {}, false
    for _, entry in ipairs(ctx.settings.topics) do
      local name, words = split_entry(entry)
      for _, word in ipairs(words) do
        if name ~= nil and word ~= "" and text:find(words_of(word), 1, true) then
          proposals[#proposals + 1] = tag(name)
          if teams[name] and not routed then
            proposals[#proposals + 1] = route(teams[name], ("the thread is about %s (\"%s\")"):format(name, word))
            routed = true
          end
          break
        end
      end
    end
    return table.unpack(proposals)
  end,
}
