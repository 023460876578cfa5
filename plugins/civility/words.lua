-- Words: the community's list of words that are not allowed.
--   blocked-words   holds (or removes) a post that uses a listed word, however it is disguised
--
-- A word filter people can evade is not a filter, and one that flags "Scunthorpe"
-- is not either. So the text and every listed word are read the same way:
--   * capitals do not matter, and invisible characters (zero-width space, joiners,
--     word joiner, soft hyphen, byte-order mark) are dropped;
--   * look-alikes count as the letter they imitate: 0 o, 1 i or l, 3 e, 4 a, 5 s, 7 t,
--     @ a, $ s, and Cyrillic letters that look like Latin ones ("іdіоt");
--   * a letter may be stretched ("iiiidiot");
--   * letters spelled out one by one with separators ("i.d.i.o.t", "i d i o t",
--     "i-d-i-o-t") are read as one word;
--   * otherwise a listed word matches whole words only: "ass" is not found in "classic",
--     nor in "assessing", nor in a price like "455".

-- Characters that read as nothing (removed) or as a Latin letter (replaced).
local READS_AS = {
  ["\u{200B}"] = "", ["\u{200C}"] = "", ["\u{200D}"] = "", ["\u{2060}"] = "", ["\u{00AD}"] = "", ["\u{FEFF}"] = "",
  -- Cyrillic letters that look like Latin ones, small and capital
  ["а"] = "a", ["в"] = "b", ["е"] = "e", ["ё"] = "e", ["к"] = "k", ["м"] = "m", ["н"] = "h", ["о"] = "o",
  ["р"] = "p", ["с"] = "c", ["т"] = "t", ["у"] = "y", ["х"] = "x", ["і"] = "i", ["ј"] = "j", ["ѕ"] = "s",
  ["ԁ"] = "d",
  ["А"] = "a", ["В"] = "b", ["Е"] = "e", ["Ё"] = "e", ["К"] = "k", ["М"] = "m", ["Н"] = "h", ["О"] = "o",
  ["Р"] = "p", ["С"] = "c", ["Т"] = "t", ["У"] = "y", ["Х"] = "x", ["І"] = "i", ["Ј"] = "j", ["Ѕ"] = "s",
  -- symbols used for letters
  ["@"] = "a", ["$"] = "s",
}

-- Each letter, as a pattern that also accepts the digits that imitate it.
local LETTER = { a = "[a4]", e = "[e3]", i = "[i1]", l = "[l1]", o = "[o0]", s = "[s5]", t = "[t7]" }

--- The text as the filter reads it: look-alikes replaced, invisible characters dropped, lower case.
---@param text string
---@return string
local function readable(text)
  return (text:gsub(utf8.charpattern, READS_AS):lower())
end

--- The words of a text, in order, with letters that were spelled out one by one
--- ("i.d.i.o.t", "i d i o t") joined into one word; and the list of those joined words.
---@param text string
---@return string[] words
---@return string[] spelled
local function split_words(text)
  local words, spelled = {}, {}
  local letters = nil -- the single characters read so far, while a word is being spelled out
  local function close_spelling()
    if letters == nil then return end
    local word = table.concat(letters)
    words[#words + 1] = word
    if #letters > 1 then spelled[#spelled + 1] = word end
    letters = nil
  end
  for word in readable(text):gmatch("%w+") do
    if #word == 1 then
      letters = letters or {}
      letters[#letters + 1] = word
    else
      close_spelling()
      words[#words + 1] = word
    end
  end
  close_spelling()
  return words, spelled
end

--- A Lua pattern for one listed word or phrase: look-alike digits accepted, each
--- letter may be stretched, words of a phrase separated by `between`.
---@param entry string
---@param between string
---@return string|nil
local function pattern_for(entry, between)
  local parts = {}
  for word in readable(entry):gmatch("%w+") do
    local part, i = {}, 1
    while i <= #word do
      local letter = word:sub(i, i)
      local last = i
      while word:sub(last + 1, last + 1) == letter do last = last + 1 end
      local one = LETTER[letter] or letter
      part[#part + 1] = one:rep(last - i) .. one .. "+" -- "ss" must stay at least two: "[s5][s5]+"
      i = last + 1
    end
    parts[#parts + 1] = table.concat(part)
  end
  if #parts == 0 then return nil end
  return table.concat(parts, between)
end

--- True when `pattern` matches `text` somewhere with at least one real letter in
--- the match (so a listed word never matches a plain number like "455").
---@param text string
---@param pattern string
---@return boolean
local function matches_letters(text, pattern)
  local from = 1
  while true do
    local first, last = text:find(pattern, from)
    if first == nil then return false end
    if text:sub(first, last):find("%a") then return true end
    from = first + 1
  end
end

-- Each listed word's two patterns, built the first time the word is seen: the
-- list comes from settings, so the same words come back on every post.
local patterns = {}

--- The patterns for one listed word: within the text's words (whole words
--- only), and within a word that was spelled out; nil when the entry has no
--- letters or digits.
---@param entry string
---@return string|nil spaced
---@return string|nil joined
local function patterns_for(entry)
  local known = patterns[entry]
  if known == nil then
    local spaced = pattern_for(entry, " ")
    known = { spaced = spaced and "%f[%w]" .. spaced .. "%f[%W]", joined = pattern_for(entry, "") }
    patterns[entry] = known
  end
  return known.spaced, known.joined
end

--- The first listed word the text uses, or nil.
---@param text string
---@param entries string[]
---@return string|nil
local function find_blocked(text, entries)
  local words, spelled = split_words(text)
  local line = table.concat(words, " ")
  for _, entry in ipairs(entries) do
    local spaced, joined = patterns_for(entry)
    if spaced ~= nil then
      if matches_letters(line, spaced) then return entry end
      for _, word in ipairs(spelled) do
        if matches_letters(word, joined) then return entry end
      end
    end
  end
  return nil
end

-- Hold (or remove) a post that uses a word on the community's list.
rule {
  id = "blocked-words",
  title = "Keep it civil",
  on = { "message_posted", "message_edited" },
  priority = 30,
  description = "Posts with insults or words this community does not accept wait for a moderator or are removed",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    if event.message.automated then return end
    local entry = find_blocked(event.message.text, ctx.settings.blocked_words)
    if entry == nil then return end
    local reason = "uses a word on this community's blocked list"
    local notice = "Please make your point without insults or name-calling: disagree with ideas, not with people."
    if ctx.settings.blocked_words_action == "remove" then
      return remove{ reason = reason, notice = notice }
    end
    return hold{ reason = reason .. "; a moderator will look at it", notice = notice }
  end,
}
