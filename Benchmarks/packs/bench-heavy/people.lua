-- Rules about who is speaking to whom: patterns over the text plus member fields.

rule {
  id = "mentions",
  on = "message_posted",
  description = "Flags posts that mention many members",
  check = function(event, ctx)
    local seen, count = {}, 0
    for name in event.message.text:gmatch("@([%w_]+)") do
      name = name:lower()
      if not seen[name] then seen[name], count = true, count + 1 end
    end
    if count > ctx.settings.max_mentions then return flag("mentions too many members") end
  end,
}

rule {
  id = "promotion",
  on = "message_posted",
  description = "Holds promotional posts not marked sponsored",
  check = function(event, ctx)
    if event.message.sponsored then return end
    local text = event.message.text:lower()
    for _, phrase in ipairs(ctx.settings.promo_phrases) do
      if text:find(phrase, 1, true) then
        if ctx.member.role == "member" then return flag("promotion by a member") end
        return hold("promotion must be marked sponsored")
      end
    end
  end,
}

rule {
  id = "email-address",
  on = "message_posted",
  description = "Flags posts that share an email address",
  check = function(event)
    if event.message.text:find("[%w%.%-_]+@[%w%-]+%.%a%a+") then return flag("shares an email address") end
  end,
}

rule {
  id = "low-effort-reply",
  on = "message_posted",
  description = "Flags one- or two-word replies",
  check = function(event)
    local message = event.message
    if message.reply_to == nil then return end
    local _, words = message.text:gsub("%S+", "")
    if words < 3 then return flag("a reply of fewer than three words") end
  end,
}

rule {
  id = "question-tag",
  on = "message_posted",
  description = "Tags questions that open a thread",
  check = function(event)
    local message = event.message
    if message.reply_to ~= nil then return end
    local text = message.text:lower()
    if text:find("%?%s*$") or text:find("^how ") or text:find("^why ") or text:find("^what ") then
      return tag("question")
    end
  end,
}
