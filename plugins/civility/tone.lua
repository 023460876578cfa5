-- Tone: how things are said. Milder things, so these only flag for a moderator.
--   no-shouting           posts written mostly in capitals
--   mention-spam          posts that @mention more than max_mentions different members
--   repeated-characters   "!!!!!!!!!!" or "soooooooooo" beyond max_repeated_characters

-- Characters that may repeat as often as people like: digits ("1000000") and
-- characters used for formatting ("-----", "=====", "....", "****", "____", "~~~~", "####").
local MAY_REPEAT = "^[%s%d%-=_%*~#%.]$"

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
    if capitals < letters * ctx.settings.shouting_ratio then return end
    return flag{ reason = "written mostly in capital letters, which reads as shouting",
                 notice = "Lower case is easier to read: you can edit your post." }
  end,
}

-- Flag posts that @mention many different members: calling a crowd is not a conversation.
rule {
  id = "mention-spam",
  title = "Mention the people you are talking to",
  on = { "message_posted", "message_edited" },
  priority = 10,
  description = "Posts that @mention many members at once are looked at by a moderator",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    if event.message.automated then return end
    local seen, mentions = {}, 0
    -- an @ that starts a word: "@ada" counts, "ada@example.org" does not
    for name in (" " .. event.message.text):gmatch("[^%w_]@([%w_][%w_%.%-]*)") do
      name = name:lower():gsub("[%.%-]+$", "")
      if not seen[name] then
        seen[name] = true
        mentions = mentions + 1
      end
    end
    if mentions <= ctx.settings.max_mentions then return end
    return flag{ reason = ("mentions %d members at once; mention the people you are talking to"):format(mentions),
                 notice = "Please @mention only the people you are talking to: you can edit your post." }
  end,
}

-- Flag a character repeated many times in a row.
rule {
  id = "repeated-characters",
  title = "Easy on repeated letters and marks",
  on = { "message_posted", "message_edited" },
  priority = 10,
  description = "Posts with long runs of one letter or mark (\"!!!!!!!!\", \"sooooooo\") are looked at by a moderator",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    if event.message.automated then return end
    local limit = ctx.settings.max_repeated_characters
    local last, run = nil, 0
    for char in event.message.text:lower():gmatch(utf8.charpattern) do
      if char == last then
        run = run + 1
      else
        last, run = char, 1
      end
      if run > limit and not char:find(MAY_REPEAT) then
        return flag{ reason = ("\"%s\" repeated more than %d times in a row"):format(char, limit),
                     notice = "A few exclamation marks or stretched letters are plenty. You can edit your post." }
      end
    end
  end,
}
