-- Specs for the bench-heavy benchmark pack. Run them with:
--   parley test Benchmarks/packs/bench-heavy
-- Every `it` starts with a fresh community (the members below) and a manual clock.

--- True when one of the decision's reasons contains the words.
---@param decision ParleyDecision
---@param words string
---@return boolean
local function has_reason(decision, words)
  for _, reason in ipairs(decision.reasons) do
    if reason:find(words, 1, true) then return true end
  end
  return false
end

--- Posts one message by `author` that opens `thread` and returns the decision.
---@param author string
---@param thread string
---@param text string
---@param extra? table fields such as sponsored
---@return ParleyDecision
local function say(author, thread, text, extra)
  local post = { author = author, thread = thread, title = "About " .. thread, text = text }
  for key, value in pairs(extra or {}) do post[key] = value end
  return host.post(post)
end

--- Bob opens `thread` with a plain statement; returns his message's id.
---@param thread string
---@return string
local function bob_opens(thread)
  return say("bob", thread, "I moved the mesh node to the hallway and the signal is much better now.").message
end

--- Carol replies to `message` in `thread` and returns the decision.
---@param thread string
---@param message string
---@param text string
---@return ParleyDecision
local function reply(thread, message, text)
  return host.post{ author = "carol", thread = thread, reply_to = message, text = text }
end

describe("bench-heavy", function()
  before_each(function()
    host.member{ id = "ada", name = "Ada", role = "member", trust = 2 }
    host.member{ id = "bob", name = "Bob", role = "member", trust = 2 }
    host.member{ id = "carol", name = "Carol", role = "member", trust = 3 }
    host.member{ id = "sam", name = "Sam", role = "staff", affiliation = "Acme", trust = 4 }
    host.member{ id = "mia", name = "Mia", role = "moderator", trust = 4 }
  end)

  -- text.lua

  describe("shouting", function()
    it("flags a post written in capitals", function()
      local d = say("ada", "t1", "THE NEW FIRMWARE KEEPS RESETTING MY ROUTER EVERY SINGLE NIGHT.")
      assert.equals("flag", d.verdict)
      assert.equals("shouting", d.rule)
      assert.truthy(has_reason(d, "capitals"))
    end)

    it("does not count acronyms or a short capital exclamation", function()
      assert.equals("allow", say("ada", "t1", "My USB and WAN ports work fine after the DHCP reset.").verdict)
      assert.equals("allow", say("ada", "t2", "HELP PLEASE, my internet is down since this morning.").verdict)
    end)

    it("allows a few words in capitals for emphasis", function()
      assert.equals("allow", say("ada", "t1", "Please READ THE MANUAL and SEARCH first.").verdict)
    end)

    it("follows the community's share of capitals", function()
      host.settings{ shouting_ratio = 0.5 }
      local d = say("ada", "t1", "Please READ THE MANUAL and SEARCH first.")
      assert.equals("flag", d.verdict)
      assert.equals("shouting", d.rule)
    end)
  end)

  describe("link-count", function()
    it("holds a post with more links than allowed", function()
      local d = say("ada", "t1",
        "Compare https://example.org/a1, https://example.org/b2 and http://shop.example.com/c3")
      assert.equals("hold", d.verdict)
      assert.equals("link-count", d.rule)
      assert.truthy(has_reason(d, "too many links"))
    end)

    it("allows as many links as the community allows", function()
      local d = say("ada", "t1", "The manual is at https://example.org/manual and the fix at https://example.org/fix")
      assert.equals("allow", d.verdict)
    end)

    it("follows the community's link limit", function()
      host.settings{ max_links = 1 }
      local d = say("ada", "t1", "The manual is at https://example.org/manual and the fix at https://example.org/fix")
      assert.equals("hold", d.verdict)
      assert.equals("link-count", d.rule)
    end)
  end)

  describe("blocked-words", function()
    cases({
      { name = "a listed word", text = "Only an idiot would pay that much for a router." },
      { name = "a listed word in capitals", text = "That giveaway is a SCAM, please do not enter your details." },
      { name = "a listed word next to punctuation", text = "Honestly, this firmware is garbage!" },
      { name = "a listed word at the start", text = "Moron. Read the thread before you post." },
    }, "holds %s", function(case)
      local d = say("ada", "t1", case.text)
      assert.equals("hold", d.verdict)
      assert.equals("blocked-words", d.rule)
      assert.truthy(has_reason(d, "blocked word"))
    end)

    it("matches whole words only", function()
      local d = say("ada", "t1", "I reported the scammers to the police and the bank.")
      assert.equals("allow", d.verdict)
      assert.equals("allow", say("ada", "t2", "The garbageman left the bin at the gate again.").verdict)
    end)

    it("follows the community's list", function()
      host.settings{ blocked_words = { "rubbish" } }
      assert.equals("hold", say("ada", "t1", "What a load of rubbish, the old one was better.").verdict)
      assert.equals("allow", say("ada", "t2", "Only an idiot would pay that much for a router.").verdict)
    end)
  end)

  describe("repeated-characters", function()
    cases({
      { name = "exclamation marks", text = "The update finally fixed my Wi-Fi!!!!!!" },
      { name = "a stretched word", text = "Nooooooo, the update wiped all my settings." },
    }, "flags %s", function(case)
      local d = say("ada", "t1", case.text)
      assert.equals("flag", d.verdict)
      assert.equals("repeated-characters", d.rule)
      assert.truthy(has_reason(d, "repeated characters"))
    end)

    it("allows a little emphasis", function()
      assert.equals("allow", say("ada", "t1", "Sooooo good!!!!! The new firmware fixed everything.").verdict)
    end)
  end)

  describe("phone-number", function()
    cases({
      { name = "dashes", text = "Call me on 555-123-4567 after six and I can walk you through it." },
      { name = "dots", text = "My number is 555.123.4567 if the chat is down." },
      { name = "spaces", text = "Text 555 123 4567 and I will send you the photos." },
      { name = "no separators", text = "Ring 5551234567 any time this weekend." },
    }, "holds a phone number written with %s", function(case)
      local d = say("ada", "t1", case.text)
      assert.equals("hold", d.verdict)
      assert.equals("phone-number", d.rule)
      assert.truthy(has_reason(d, "phone number"))
    end)

    it("allows versions, dates and short numbers", function()
      assert.equals("allow", say("ada", "t1", "Firmware 2.4.1 from 2024-05-17 fixed it for me.").verdict)
      assert.equals("allow", say("ada", "t2", "My order 48213 arrived after 3 days.").verdict)
    end)
  end)

  -- people.lua

  describe("mentions", function()
    it("flags a post that mentions more members than allowed", function()
      local d = say("ada", "t1", "@bob @carol @sam @mia @dan have you all seen the new firmware notes.")
      assert.equals("flag", d.verdict)
      assert.equals("mentions", d.rule)
      assert.truthy(has_reason(d, "too many members"))
    end)

    it("counts each member once, whatever the case", function()
      local d = say("ada", "t1", "@bob @Bob @BOB @carol @sam @mia thanks, your tips fixed my mesh setup.")
      assert.equals("allow", d.verdict)
    end)

    it("follows the community's mention limit", function()
      host.settings{ max_mentions = 1 }
      local d = say("ada", "t1", "@bob @carol thanks, your tips fixed my mesh setup.")
      assert.equals("flag", d.verdict)
      assert.equals("mentions", d.rule)
    end)
  end)

  describe("promotion", function()
    it("flags a member's promotional post", function()
      local d = say("ada", "t1", "Use promo code MESH20 at checkout, it still works this week.")
      assert.equals("flag", d.verdict)
      assert.equals("promotion", d.rule)
      assert.truthy(has_reason(d, "promotion by a member"))
    end)

    it("holds a staff promotion not marked sponsored", function()
      local d = say("sam", "t1", "Buy Now: the mesh starter kit comes with Free Shipping until Sunday.")
      assert.equals("hold", d.verdict)
      assert.equals("promotion", d.rule)
      assert.truthy(has_reason(d, "marked sponsored"))
    end)

    it("holds a moderator's promotion as well", function()
      assert.equals("hold", say("mia", "t1", "There is a limited offer on mesh kits in the Acme shop.").verdict)
    end)

    it("allows a promotion marked sponsored", function()
      local d = say("sam", "t1", "Buy Now: the mesh starter kit comes with Free Shipping until Sunday.",
                    { sponsored = true })
      assert.equals("allow", d.verdict)
    end)

    it("allows posts without promotional phrases", function()
      assert.equals("allow", say("sam", "t1", "We have fixed the login problem; thanks for your patience.").verdict)
      assert.equals("allow", say("ada", "t2", "I bought the kit last month and it has been solid.").verdict)
    end)

    it("follows the community's phrases", function()
      host.settings{ promo_phrases = { "bundle deal" } }
      assert.equals("flag", say("ada", "t1", "The Bundle Deal on nodes is back this weekend.").verdict)
      assert.equals("allow", say("ada", "t2", "Use promo code MESH20 at checkout, it still works this week.").verdict)
    end)
  end)

  describe("email-address", function()
    cases({
      { name = "a plain address", text = "Write to me at ada.lovelace@example.org and I will send the config." },
      { name = "an address with a subdomain",
        text = "Support answered from help-desk@mail.example.co.uk within a day." },
    }, "flags %s", function(case)
      local d = say("ada", "t1", case.text)
      assert.equals("flag", d.verdict)
      assert.equals("email-address", d.rule)
      assert.truthy(has_reason(d, "email address"))
    end)

    it("allows a mention and a spelled-out address", function()
      assert.equals("allow", say("ada", "t1", "@bob thanks for the help with the node yesterday.").verdict)
      assert.equals("allow", say("ada", "t2", "You can reach the club at info at example dot org.").verdict)
    end)
  end)

  describe("low-effort-reply", function()
    cases({
      { name = "a one-word reply", text = "+1" },
      { name = "a two-word reply", text = "Same here." },
    }, "flags %s", function(case)
      local opening = bob_opens("t1")
      local d = reply("t1", opening, case.text)
      assert.equals("flag", d.verdict)
      assert.equals("low-effort-reply", d.rule)
      assert.truthy(has_reason(d, "fewer than three words"))
    end)

    it("allows a reply of three words or more", function()
      local opening = bob_opens("t1")
      assert.equals("allow", reply("t1", opening, "Same here, thanks.").verdict)
    end)

    it("allows a short post that opens a thread", function()
      assert.equals("allow", say("ada", "t1", "Solved, thanks!").verdict)
    end)
  end)

  describe("question-tag", function()
    cases({
      { name = "a question mark", text = "Is firmware 3.1 out for the mesh nodes yet?" },
      { name = "a question mark and trailing spaces", text = "Has anyone tried the new node with an old router?  " },
      { name = "\"how\"", text = "How do I reset the node without losing my settings" },
      { name = "\"why\"", text = "Why does the node drop every evening around eight." },
      { name = "\"what\"", text = "What channel works best for a flat full of neighbours" },
    }, "tags a thread-opening question with %s", function(case)
      local d = say("ada", "t1", case.text)
      assert.equals("allow", d.verdict)
      assert.is_nil(d.rule)
      assert.has_effect(d, "tag", { name = "question" })
      assert.same({}, d.blocked)
    end)

    it("does not tag a question asked in a reply", function()
      local opening = bob_opens("t1")
      local d = reply("t1", opening, "Nice! Did you change the channel as well?")
      assert.equals("allow", d.verdict)
      assert.falsy(d:has("tag", { name = "question" }))
    end)

    it("does not tag statements, even ones that start like a question word", function()
      local d = say("ada", "t1", "Whatever you do, update the firmware first.")
      assert.equals("allow", d.verdict)
      assert.same({}, d.effects)
      local statement = say("ada", "t2", "Firmware 3.1 fixed the evening drops for me.")
      assert.falsy(statement:has("tag"))
    end)
  end)
end)
