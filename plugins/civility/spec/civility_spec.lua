-- Specs for the civility plugin. Run them with:
--   parley test plugins/civility
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

--- Posts one message by Ada that opens `thread` and returns the decision.
---@param thread string
---@param text string
---@return ParleyDecision
local function say(thread, text)
  return host.post{ author = "ada", thread = thread, title = "About " .. thread, text = text }
end

describe("civility", function()
  before_each(function()
    host.member{ id = "ada", name = "Ada", role = "member", trust = 2 }
    host.member{ id = "sam", name = "Sam", role = "staff", affiliation = "Acme", trust = 4 }
  end)

  describe("blocked-words", function()
    it("holds a post that uses a listed word, without repeating the word", function()
      local d = say("t1", "Only an idiot would buy this router, and you know it.")
      assert.equals("hold", d.verdict)
      assert.equals("blocked-words", d.rule)
      assert.truthy(has_reason(d, "blocked list"))
      assert.is_false(has_reason(d, "idiot"))
    end)

    cases({
      { name = "capitals", text = "Only an IDIOT would buy this router, and you know it." },
      { name = "stretched letters", text = "Only an iiidiiiooot would buy this router, and you know it." },
      { name = "look-alike digits", text = "Only an 1d10t would buy this router, and you know it." },
      { name = "@ and $ for letters", text = "Only a jack@$$ would buy this router, and you know it." },
      { name = "dots between letters", text = "Only an i.d.i.o.t would buy this router, and you know it." },
      { name = "spaces between letters", text = "Only an i d i o t would buy this router, and you know it." },
      { name = "dashes between letters", text = "Only an i-d-i-o-t would buy this router, and you know it." },
      { name = "a zero-width space", text = "Only an id\u{200B}iot would buy this router, and you know it." },
      { name = "a zero-width joiner and a BOM", text = "Only a mo\u{200D}ro\u{FEFF}n would buy this router." },
      { name = "Cyrillic look-alikes", text = "Only an \u{0456}d\u{0456}\u{043E}t would buy this router, honestly." },
      { name = "a capital Cyrillic O", text = "Only a M\u{041E}R\u{041E}N would buy this router, honestly." },
    }, "sees through %s", function(case)
      local d = say("t1", case.text)
      assert.equals("hold", d.verdict)
      assert.equals("blocked-words", d.rule)
    end)

    it("does not flag Scunthorpe, classic or a price when short words are listed", function()
      host.settings{ blocked_words = { "ass", "cunt", "tit" } }
      local clean = {
        "I grew up in Scunthorpe and the classic fish and chips there are still the best.",
        "The title of the petition asks the council about assessing class sizes.",
        "As far as I know, the upgrade costs 455 dollars, and it passed every test.",
        "My router has a constant light, which the manual says is normal.",
      }
      for i, text in ipairs(clean) do
        local d = say("t" .. i, text)
        assert.equals("allow", d.verdict)
        assert.same({}, d.failures)
      end
      assert.equals("hold", say("t9", "Stop being such an a.s.s about the warranty.").verdict)
      assert.equals("hold", say("t10", "Stop being such an @$$ about the warranty.").verdict)
    end)

    it("finds listed phrases, also spelled out", function()
      host.settings{ blocked_words = { "shut up" } }
      assert.equals("hold", say("t1", "Just shut   up about the firmware already, nobody cares.").verdict)
      assert.equals("hold", say("t2", "Just s.h.u.t u.p about the firmware already, nobody cares.").verdict)
      assert.equals("allow", say("t3", "My router shut down and came back up after a minute.").verdict)
    end)

    it("removes instead of holding when the community says so", function()
      host.settings{ blocked_words_action = "remove" }
      local d = say("t1", "You are a complete moron if you think that firmware works.")
      assert.equals("remove", d.verdict)
      assert.equals("blocked-words", d.rule)
    end)

    it("holds a listed word added by editing", function()
      local d = say("t1", "Thanks for the answer, I will try the new firmware tonight.")
      assert.equals("allow", d.verdict)
      local edited = host.edit{ message = d.message, text = "Thanks for nothing, you idiot. The firmware bricked it." }
      assert.equals("hold", edited.verdict)
    end)

    it("leaves automated messages alone", function()
      local d = host.post{ author = "sam", thread = "t1", title = "Bot", automated = true,
                           text = "Reminder: calling someone an idiot breaks the community guidelines." }
      assert.equals("allow", d.verdict)
    end)
  end)

  describe("no-shouting", function()
    it("flags a post written in capitals", function()
      local d = say("t1", "WHY DOES MY ROUTER KEEP DROPPING THE CONNECTION EVERY NIGHT")
      assert.equals("flag", d.verdict)
      assert.equals("no-shouting", d.rule)
      assert.truthy(has_reason(d, "shouting"))
    end)

    it("does not count acronyms or a short capital exclamation", function()
      assert.equals("allow", say("t1", "My USB and WAN ports work fine after the DHCP reset.").verdict)
      assert.equals("allow", say("t2", "HELP PLEASE, my internet is down since this morning.").verdict)
    end)
  end)

  describe("mention-spam", function()
    it("flags a post that mentions more than five different members", function()
      local d = say("t1", "@ada @bob @carol @dan @eve @fay have you all seen our new smart plugs?")
      assert.equals("flag", d.verdict)
      assert.equals("mention-spam", d.rule)
      assert.truthy(has_reason(d, "mentions 6 members"))
    end)

    it("counts each member once and ignores email addresses", function()
      assert.equals("allow", say("t1", "@bob @carol @dan thanks, your tips fixed my mesh setup.").verdict)
      assert.equals("allow", say("t2", "@bob, @bob, @bob. Did you get my note? @bob @bob @bob").verdict)
      assert.equals("allow", say("t3",
        "Write to support@acme.example.com, sales@acme.example.com, a@b.org, c@d.org, e@f.org or g@h.org.").verdict)
    end)
  end)

  describe("repeated-characters", function()
    cases({
      { name = "exclamation marks", text = "Why is this router still broken after three updates!!!!!!!!!!" },
      { name = "a stretched word", text = "This is soooooooooo frustrating, the Wi-Fi dropped again." },
      { name = "a stretched capital word", text = "This is SOOOOOOoooooo frustrating, the Wi-Fi dropped again." },
    }, "flags %s", function(case)
      local d = say("t1", case.text)
      assert.equals("flag", d.verdict)
      assert.equals("repeated-characters", d.rule)
    end)

    it("allows a little emphasis, big numbers and formatting lines", function()
      assert.equals("allow", say("t1", "Sooo good!!! The new firmware fixed everything.").verdict)
      assert.equals("allow", say("t2", "The counter shows 1000000 packets sent since Monday.").verdict)
      assert.equals("allow", say("t3", "Steps so far:\n----------\n1. reset\n2. update......").verdict)
    end)
  end)

  describe("member notices", function()
    it("tells the member which rule held the post, without the word or the list", function()
      local d = say("t1", "Only an idiot would buy this router, and you know it.")
      assert.equals("ada", d.notice.member)
      assert.same({ "Keep it civil" }, d.notice.rules)
      assert.matches("without insults", d.notice.message)
      for _, secret in ipairs({ "idiot", "blocked", "blocked_words", "blocked-words" }) do
        assert.is_nil(d.notice.text:find(secret, 1, true))
      end
    end)

    it("gives the same words when the post is removed", function()
      host.settings{ blocked_words_action = "remove" }
      local d = say("t1", "You are a complete moron if you think that firmware works.")
      assert.matches("was removed", d.notice.headline)
      assert.same({ "Keep it civil" }, d.notice.rules)
      assert.is_nil(d.notice.text:find("moron", 1, true))
    end)

    it("names the flag's rule and how to fix it, without the limit", function()
      local d = say("t1", "@ada @bob @carol @dan @eve @fay have you all seen our new smart plugs?")
      assert.equals("Mention the people you are talking to", d.notice.rules[1])
      assert.matches("edit your post", d.notice.text)
      assert.is_nil(d.notice.text:find("max_mentions", 1, true))
      assert.is_nil(d.notice.text:find("6", 1, true))
      local shouted = say("t2", "WHY DOES MY ROUTER KEEP DROPPING THE CONNECTION EVERY NIGHT")
      assert.equals("No shouting", shouted.notice.rules[1])
      local stretched = say("t3", "This is soooooooooo frustrating, the Wi-Fi dropped again.")
      assert.equals("Easy on repeated letters and marks", stretched.notice.rules[1])
      assert.is_nil(stretched.notice.text:find("max_repeated_characters", 1, true))
    end)

    it("gives no notice when nothing happened to the post", function()
      assert.is_nil(say("t1", "Thanks, the new firmware fixed my mesh setup.").notice)
    end)
  end)
end)
