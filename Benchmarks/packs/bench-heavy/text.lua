-- Rules about the text: each walks it with patterns.

rule {
  id = "shouting",
  on = "message_posted",
  description = "Flags posts written mostly in capitals",
  check = function(event, ctx)
    local letters, capitals = 0, 0
    for word in event.message.text:gmatch("%a+") do
      if #word >= 4 then
        local _, upper = word:gsub("%u", "")
        letters, capitals = letters + #word, capitals + upper
      end
    end
    if letters >= 12 and capitals >= letters * ctx.settings.shouting_ratio then
      return flag("mostly capitals")
    end
  end,
}

rule {
  id = "link-count",
  on = "message_posted",
  description = "Holds posts with more links than the community allows",
  check = function(event, ctx)
    local links = 0
    for _ in event.message.text:gmatch("https?://[%w%.%-]+") do links = links + 1 end
    if links > ctx.settings.max_links then return hold("too many links") end
  end,
}

rule {
  id = "blocked-words",
  on = "message_posted",
  description = "Holds posts with blocked words, whatever the case or punctuation",
  check = function(event, ctx)
    local text = " " .. event.message.text:lower():gsub("[%p%s]+", " ") .. " "
    for _, word in ipairs(ctx.settings.blocked_words) do
      if text:find(" " .. word .. " ", 1, true) then return hold("a blocked word") end
    end
  end,
}

rule {
  id = "repeated-characters",
  on = "message_posted",
  description = "Flags a character repeated six times or more",
  check = function(event)
    if event.message.text:find("(.)%1%1%1%1%1") then return flag("repeated characters") end
  end,
}

rule {
  id = "phone-number",
  on = "message_posted",
  description = "Holds posts that look like they share a phone number",
  check = function(event)
    if event.message.text:find("%d%d%d[%-%. ]?%d%d%d[%-%. ]?%d%d%d%d") then
      return hold("looks like a phone number; keep personal details private")
    end
  end,
}
