-- Specs for the bench-light benchmark pack. Run them with:
--   parley test Benchmarks/packs/bench-light
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

--- Opens `thread` with a plain statement by Ada and returns her message's id.
---@param thread string
---@return string
local function ada_opens(thread)
  return say("ada", thread, "I moved the mesh node to the hallway and the signal is much better now.").message
end

describe("bench-light", function()
  before_each(function()
    host.member{ id = "nick", name = "Nick", role = "member", trust = 0 }
    host.member{ id = "ada", name = "Ada", role = "member", trust = 2 }
    host.member{ id = "carol", name = "Carol", role = "member", trust = 3 }
    host.member{ id = "sam", name = "Sam", role = "staff", affiliation = "Acme", trust = 4 }
    host.member{ id = "mia", name = "Mia", role = "moderator", trust = 4 }
  end)

  describe("newcomer-link", function()
    cases({
      { name = "an https link", text = "I wrote up my mesh setup here: https://example.org/mesh-notes" },
      { name = "a plain http link", text = "The old manual is still at http://files.example.org/router.pdf" },
    }, "holds %s from a member with no trust yet", function(case)
      local d = say("nick", "t1", case.text)
      assert.equals("hold", d.verdict)
      assert.equals("newcomer-link", d.rule)
      assert.truthy(has_reason(d, "new members"))
      assert.same({}, d.failures)
    end)

    it("allows the same link from a trusted member", function()
      local d = say("carol", "t1", "I wrote up my mesh setup here: https://example.org/mesh-notes")
      assert.equals("allow", d.verdict)
      assert.is_nil(d.rule)
    end)

    it("allows a newcomer's post without a link", function()
      local d = say("nick", "t1", "Hello all, I just set up my first mesh kit and it works great.")
      assert.equals("allow", d.verdict)
    end)
  end)

  describe("everyone-mention", function()
    it("removes a member's post that mentions @everyone", function()
      local d = say("ada", "t1", "@everyone the meetup at the library moves to Thursday evening.")
      assert.equals("remove", d.verdict)
      assert.equals("everyone-mention", d.rule)
      assert.truthy(has_reason(d, "only staff"))
    end)

    it("removes rather than holds when a newcomer also posts a link", function()
      local d = say("nick", "t1", "@everyone look at this: https://example.org/giveaway")
      assert.equals("remove", d.verdict)
      assert.equals("everyone-mention", d.rule)
    end)

    it("allows staff and moderators to mention everyone", function()
      assert.equals("allow", say("sam", "t1", "@everyone firmware 3.1 is rolling out tonight.").verdict)
      assert.equals("allow", say("mia", "t2", "@everyone please keep the meetup thread on topic.").verdict)
    end)

    it("allows a member who says everyone without the @", function()
      local d = say("ada", "t1", "Thanks everyone, the meetup was a lot of fun.")
      assert.equals("allow", d.verdict)
    end)
  end)

  describe("undisclosed-offer", function()
    it("holds a staff offer that is not marked sponsored", function()
      local d = say("sam", "t1", "Forum members get a 20% discount on the mesh starter kit this week.")
      assert.equals("hold", d.verdict)
      assert.equals("undisclosed-offer", d.rule)
      assert.truthy(has_reason(d, "marked sponsored"))
    end)

    it("allows the same staff offer marked sponsored", function()
      local d = say("sam", "t1", "Forum members get a 20% discount on the mesh starter kit this week.",
                    { sponsored = true })
      assert.equals("allow", d.verdict)
    end)

    it("allows a member who mentions a discount they found", function()
      local d = say("ada", "t1", "The shop down the road gave me a discount on the old model.")
      assert.equals("allow", d.verdict)
    end)

    it("allows staff posts that are not offers", function()
      local d = say("sam", "t1", "We have fixed the login problem; thanks for your patience.")
      assert.equals("allow", d.verdict)
    end)
  end)

  describe("long-post", function()
    local sentence = "The node drops every evening around eight, and resetting it only helps for an hour. "

    it("flags a post longer than the community allows", function()
      local text = sentence:rep(8) -- 8 x 85 bytes
      assert.truthy(#text > 600)
      local d = say("ada", "t1", text)
      assert.equals("flag", d.verdict)
      assert.equals("long-post", d.rule)
      assert.truthy(has_reason(d, "very long"))
    end)

    it("allows a post of exactly the longest length", function()
      local text = sentence:rep(8):sub(1, 600)
      assert.equals(600, #text)
      assert.equals("allow", say("ada", "t1", text).verdict)
    end)

    it("follows the community's longest length", function()
      host.settings{ max_length = 100 }
      local d = say("ada", "t1", sentence:rep(2))
      assert.equals("flag", d.verdict)
      assert.equals("long-post", d.rule)
      assert.equals("allow", say("ada", "t2", sentence).verdict)
    end)
  end)

  describe("route-question", function()
    it("routes a question that opens a thread to support", function()
      local d = say("ada", "t1", "Has anyone got the mesh node working with the old Acme router?")
      assert.equals("allow", d.verdict)
      assert.is_nil(d.rule)
      assert.has_effect(d, "route", { team = "support" })
      assert.truthy(d:has("route", { team = "support", reason = "a question" }))
      assert.same({}, d.blocked)
    end)

    it("routes to the community's own support team", function()
      host.settings{ support_team = "helpdesk" }
      local d = say("ada", "t1", "Which firmware fixed the evening drops for you?")
      assert.truthy(d:has("route", { team = "helpdesk" }))
      assert.falsy(d:has("route", { team = "support" }))
    end)

    it("does not route a question asked in a reply", function()
      local opening = ada_opens("t1")
      local d = host.post{ author = "carol", thread = "t1", reply_to = opening,
                           text = "Nice! Did you change the channel as well?" }
      assert.equals("allow", d.verdict)
      assert.falsy(d:has("route"))
    end)

    it("does not route a statement", function()
      local d = say("ada", "t1", "Firmware 3.1 fixed the evening drops for me.")
      assert.equals("allow", d.verdict)
      assert.same({}, d.effects)
    end)
  end)
end)
