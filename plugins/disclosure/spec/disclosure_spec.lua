-- Specs for the disclosure plugin. Run them with:
--   parley test plugins/disclosure
-- Every `it` starts with a fresh community (the members below, brand "Acme") and a manual clock.

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

--- Posts one message that opens `thread`; returns the decision.
---@param author string
---@param thread string
---@param text string
---@param extra? table fields such as sponsored or automated
---@return ParleyDecision
local function post(author, thread, text, extra)
  local message = { author = author, thread = thread, title = "About " .. thread, text = text }
  for key, value in pairs(extra or {}) do message[key] = value end
  return host.post(message)
end

describe("disclosure", function()
  before_each(function()
    host.settings{ brand = "Acme" }
    host.member{ id = "sam", name = "Sam Rivera", role = "staff", affiliation = "Acme", trust = 4 }
    host.member{ id = "rep", name = "Priya", role = "member", affiliation = "MeshWorks", trust = 2 }
    host.member{ id = "ada", name = "Ada", role = "member", trust = 3 }
    host.member{ id = "mia", name = "Mia", role = "moderator", trust = 4 }
    host.member{ id = "bot", name = "Helper", role = "staff", affiliation = "Acme", trust = 4 }
  end)

  describe("disclose-promotion", function()
    it("holds an undisclosed promotional post by staff and says how to disclose it", function()
      local d = post("sam", "t1", "Big news for mesh owners: 20% off every node this weekend, buy now!")
      assert.equals("hold", d.verdict)
      assert.equals("disclose-promotion", d.rule)
      assert.truthy(has_reason(d, "Acme"))
      assert.truthy(has_reason(d, "#ad"))
      assert.same({}, d.failures)
    end)

    it("allows it when marked sponsored or labelled in the text", function()
      local text = "Big news for mesh owners: 20% off every node this weekend."
      assert.equals("allow", post("sam", "t1", text, { sponsored = true }).verdict)
      -- disclosed in words only: not held, but flagged by mark-sponsored for the missing mark
      local labelled = post("sam", "t2", "Paid partnership with MeshWorks: their extender has a discount today.")
      assert.equals("flag", labelled.verdict)
      assert.equals("mark-sponsored", labelled.rule)
    end)

    it("does not take a question about sponsorship as a disclosure", function()
      local d = post("sam", "t1", "Is this sponsored? No: it is our own promo code SPRING for 10% off.")
      assert.equals("hold", d.verdict)
    end)

    it("applies to other brands' representatives and to edits", function()
      local d = post("rep", "t1", "I set up my parents' mesh with three nodes last weekend.")
      assert.equals("allow", d.verdict)
      local edited = host.edit{ message = d.message,
                                text = "I set up my parents' mesh with three nodes. Use my coupon MESHWORKS!" }
      assert.equals("hold", edited.verdict)
      assert.truthy(has_reason(edited, "MeshWorks"))
    end)

    it("leaves members without an affiliation alone", function()
      assert.equals("allow", post("ada", "t1", "I got 20% off at my local shop, so check yours too.").verdict)
    end)
  end)

  describe("mark-sponsored", function()
    it("flags a post that says it is sponsored but carries no sponsored mark", function()
      local d = post("sam", "t1", "#ad Our partner MeshWorks now ships extenders with a discount for members.")
      assert.equals("flag", d.verdict)
      assert.equals("mark-sponsored", d.rule)
      assert.truthy(has_reason(d, "not marked sponsored"))
    end)

    it("flags a member's own advert disclosed in words only", function()
      local d = post("ada", "t1", "This review is sponsored by MeshWorks. Their extender doubled my range.")
      assert.equals("flag", d.verdict)
    end)

    it("leaves questions, look-alike words and marked posts alone", function()
      assert.equals("allow", post("ada", "t1", "Was that extender review sponsored by MeshWorks?").verdict)
      assert.equals("allow", post("ada", "t2", "Our #adventure cabin finally has Wi-Fi in every room.").verdict)
      assert.equals("allow", post("ada", "t3", "The talk was unsponsored, just a fan of mesh networks.").verdict)
      assert.equals("allow", post("sam", "t4", "#ad MeshWorks extenders are 15% off for members this week.",
                                  { sponsored = true }).verdict)
    end)

    it("follows the community's disclosure markers", function()
      host.settings{ brand = "Acme", disclosure_markers = { "#werbung" } }
      assert.equals("flag", post("ada", "t1", "Mein neuer Router ist super schnell. #Werbung").verdict)
      assert.equals("allow", post("ada", "t2", "This is sponsored content from a partner, enjoy.").verdict)
    end)
  end)

  describe("no-posing-as-staff", function()
    it("flags a member whose display name presents them as staff", function()
      host.member{ id = "fake", name = "Acme Support", role = "member", trust = 0 }
      local d = post("fake", "t1", "Please send me your account password so I can reset your router.")
      assert.equals("flag", d.verdict)
      assert.equals("no-posing-as-staff", d.rule)
      assert.truthy(has_reason(d, "Acme Support"))
    end)

    it("flags a member who claims in the text to be staff", function()
      local d = post("ada", "t1", "Hi all, this is Acme support: please reinstall the app from the link below.")
      assert.equals("flag", d.verdict)
      assert.truthy(has_reason(d, "this is Acme support"))
      local curly = post("ada", "t2", "I\u{2019}m a moderator here, so do what I say and delete that thread.")
      assert.equals("flag", curly.verdict)
    end)

    it("sees through invisible characters hidden in a claim", function()
      local hidden = post("ada", "t1", "Hi all, this is Acme sup\u{200B}port: reinstall the app from my link.")
      assert.equals("flag", hidden.verdict)
      assert.equals("no-posing-as-staff", hidden.rule)
      local hyphen = post("ada", "t2", "I\u{2019}m a mod\u{00AD}erator here, so delete that thread.")
      assert.equals("flag", hyphen.verdict)
    end)

    it("flags a member whose affiliation is the brand while their role is member", function()
      host.member{ id = "lee", name = "Lee", role = "member", affiliation = "acme", trust = 1 }
      local d = post("lee", "t1", "The firmware rollout starts tomorrow for everyone in Europe.")
      assert.equals("flag", d.verdict)
      assert.truthy(has_reason(d, "not staff"))
    end)

    it("leaves real staff, and members who only talk about support, alone", function()
      local staff = post("sam", "t1", "This is Acme support: firmware 2.2 fixes the evening drop-outs.")
      assert.equals("allow", staff.verdict)
      assert.equals("allow", post("mia", "t2", "I'm a moderator here; please keep this thread on topic.").verdict)
      assert.equals("allow", post("ada", "t3", "Acme support told me to reset the node, and it worked.").verdict)
      host.member{ id = "sue", name = "Supportive Sue", role = "member", trust = 2 }
      assert.equals("allow", post("sue", "t4", "Happy to help anyone setting up their first mesh.").verdict)
    end)

    it("uses the community's name when no brand is set", function()
      host.settings{ brand = "" }
      host.member{ id = "fake", name = "Spec Community Team", role = "member", trust = 0 }
      assert.equals("flag", post("fake", "t1", "We are moving the forum to a new address next week.").verdict)
    end)
  end)

  describe("label-automation", function()
    it("flags an automated message without a label", function()
      local d = post("bot", "t1", "Your ticket 4821 has been received and will be answered within a day.",
                     { automated = true })
      assert.equals("flag", d.verdict)
      assert.equals("label-automation", d.rule)
      assert.truthy(has_reason(d, "[bot]"))
    end)

    it("allows a labelled automated message, and people's own messages", function()
      assert.equals("allow", post("bot", "t1", "[bot] Your ticket 4821 has been received; we answer within a day.",
                                  { automated = true }).verdict)
      local person = post("sam", "t2", "I have picked up ticket 4821 and will call you this afternoon.")
      assert.equals("allow", person.verdict)
    end)

    it("follows the community's labels", function()
      host.settings{ brand = "Acme", automation_labels = { "(auto)" } }
      assert.equals("flag", post("bot", "t1", "[bot] Reminder: the maintenance window starts at 22:00 tonight.",
                                 { automated = true }).verdict)
    end)
  end)

  describe("member notices", function()
    it("tells staff how to disclose promotion, without the words that gave it away", function()
      local d = post("sam", "t1", "Big news for mesh owners: 20% off every node this weekend, buy now!")
      assert.equals("sam", d.notice.member)
      assert.same({ "Say when you are promoting" }, d.notice.rules)
      assert.matches("Mark your post as sponsored", d.notice.message)
      for _, secret in ipairs({ "buy now", "% off", "promo_words", "disclosure_markers" }) do
        assert.is_nil(d.notice.text:find(secret, 1, true))
      end
    end)

    it("thanks a member who disclosed in words and asks for the mark", function()
      local d = post("ada", "t1", "This review is sponsored by MeshWorks. Their extender doubled my range.")
      assert.same({ "Sponsored posts carry the sponsored mark" }, d.notice.rules)
      assert.matches("sponsored mark", d.notice.message)
    end)

    it("tells a member posing as staff what to do, without the name words or claims it looks for", function()
      host.member{ id = "fake", name = "Acme Support", role = "member", trust = 0 }
      local named = post("fake", "t1", "Please send me your account password so I can reset your router.")
      assert.same({ "Only staff speak as staff" }, named.notice.rules)
      assert.matches("change your name or edit your post", named.notice.message)
      assert.is_nil(named.notice.text:find("staff_name_words", 1, true))
      local claimed = post("ada", "t2", "Hi all, this is Acme support: please reinstall the app from the link below.")
      assert.is_nil(claimed.notice.text:find("this is Acme support", 1, true))
    end)

    it("asks automation to label itself, without naming the labels", function()
      local d = post("bot", "t1", "Your ticket 4821 has been received and will be answered within a day.",
                     { automated = true })
      assert.same({ "Automated posts say so" }, d.notice.rules)
      assert.is_nil(d.notice.text:find("[bot]", 1, true))
    end)
  end)
end)
