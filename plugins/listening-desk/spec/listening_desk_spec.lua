-- Specs for the listening-desk plugin. Run them with:
--   parley test plugins/listening-desk
-- Every `it` starts with a fresh community (the members below) and a manual clock.

--- Every effect of one kind in a decision, in order.
---@param decision ParleyDecision
---@param kind string
---@return ParleyEffectRecord[]
local function effects_of(decision, kind)
  local found = {}
  for _, effect in ipairs(decision.effects) do
    if effect.kind == kind then found[#found + 1] = effect end
  end
  return found
end

--- The first effect of one kind in a decision, or nil.
---@param decision ParleyDecision
---@param kind string
---@return ParleyEffectRecord|nil
local function first(decision, kind)
  return effects_of(decision, kind)[1]
end

--- The names of every tag a decision adds, in order.
---@param decision ParleyDecision
---@return string[]
local function tags_of(decision)
  local names = {}
  for _, effect in ipairs(effects_of(decision, "tag")) do
    names[#names + 1] = effect.name
  end
  return names
end

--- Ada opens thread t1 with a question; returns the decision.
---@return ParleyDecision
local function ada_asks()
  return host.post{ author = "ada", thread = "t1", title = "Tracker loses its pairing",
                    text = "My tracker loses its pairing with the phone every morning. How do I stop that?" }
end

describe("listening-desk", function()
  before_each(function()
    host.member{ id = "ada", name = "Ada", role = "member", trust = 1 }
    host.member{ id = "bob", name = "Bob", role = "member", trust = 2 }
    host.member{ id = "tess", name = "Tess", role = "member", trust = 3 }
    host.member{ id = "sam", name = "Sam", role = "staff", affiliation = "Acme", trust = 4 }
  end)

  describe("route-signals", function()
    it("routes a member's question to support, tags it and starts the answer clock", function()
      local d = ada_asks()
      assert.equals("allow", d.verdict)
      assert.same({}, d.failures)
      local route = first(d, "route")
      assert.equals("support", route.team)
      assert.equals("route-signals", route.rule)
      assert.truthy(d:has("tag", { name = "question" }))
      local timer = first(d, "schedule")
      assert.equals("answer-check", timer.name)
      assert.equals(240, timer.after_minutes)
      assert.equals("t1", timer.data.thread)
      assert.equals("support", timer.data.team)
    end)

    it("routes a complaint to the care team, even when it is a reply", function()
      local q = ada_asks()
      local d = host.post{ author = "bob", thread = "t1", reply_to = q.message,
                           text = "Same here, and support has not helped. I am really disappointed with this tracker." }
      assert.truthy(d:has("route", { team = "care" }))
      assert.truthy(d:has("tag", { name = "complaint" }))
    end)

    it("treats a suggestion as feedback for the product team, even with a question mark", function()
      local d = host.post{ author = "bob", thread = "t2", title = "Dark mode",
                           text = "Could you add a dark mode to the app? It would be nice for reading at night." }
      assert.truthy(d:has("route", { team = "product" }))
      assert.same({ "feedback", "theme-app" }, tags_of(d))
    end)

    it("leaves statements, staff posts and helpers' questions alone", function()
      local tip = host.post{ author = "bob", thread = "t2", title = "Tip",
                             text = "Keeping the phone's Bluetooth on overnight keeps my tracker paired." }
      assert.is_false(tip:has("route"))
      local staff = host.post{ author = "sam", thread = "t3", title = "Poll",
                               text = "Which colour should the next strap come in? We are not happy with grey." }
      assert.is_false(staff:has("route"))
      local q = ada_asks()
      local helper = host.post{ author = "bob", thread = "t1", reply_to = q.message,
                                text = "Did you try removing the tracker from the phone and pairing it again?" }
      assert.is_false(helper:has("route"))
    end)

    it("routes each kind of signal once per thread", function()
      ada_asks()
      local again = host.post{ author = "ada", thread = "t1", text = "It happened again today. Does anyone know why?" }
      assert.is_false(again:has("route"))
      assert.is_false(again:has("schedule"))
    end)

    it("follows the teams setting, and only tags a kind that has no team", function()
      host.settings{ teams = { "question = help-desk", "feedback=roadmap" } }
      assert.truthy(ada_asks():has("route", { team = "help-desk" }))
      local d = host.post{ author = "bob", thread = "t2", title = "Refund",
                           text = "The strap broke after a week and I want a refund." }
      assert.is_false(d:has("route"))
      assert.is_false(d:has("schedule"))
      assert.equals("route-signals", d:effect("tag", { name = "complaint" }).rule)
    end)
  end)

  describe("acknowledge-signals", function()
    it("stays quiet unless the community wants acknowledgements", function()
      assert.is_false(ada_asks():has("reply"))
    end)

    it("replies once, labelled automated, saying which team has it", function()
      host.settings{ acknowledge = true }
      local d = ada_asks()
      local ack = first(d, "reply")
      assert.equals("acknowledge-signals", ack.rule)
      assert.is_true(ack.automated)
      assert.equals("support", ack.purpose)
      assert.equals("Thanks, Ada. Your question is with our support team, and a person will answer you here.",
                    ack.text)
      local again = host.post{ author = "ada", thread = "t1", text = "Also, is there a way to see the pairing log?" }
      assert.is_false(again:has("reply"))
    end)

    it("uses the community's acknowledgement and skips kinds without a team", function()
      host.settings{ acknowledge = true, teams = { "complaint=care" },
                     acknowledgement = "Sorry to hear it, {name}: the {team} team will get back to you." }
      assert.is_false(ada_asks():has("reply"))
      local d = host.post{ author = "bob", thread = "t2", title = "Broken strap",
                           text = "The strap broke after a week. This is unacceptable for the price." }
      assert.truthy(d:has("reply", { text = "Sorry to hear it, Bob: the care team" }))
    end)
  end)

  describe("mark-answered", function()
    it("tags the thread answered when staff reply", function()
      local q = ada_asks()
      local d = host.post{ author = "sam", thread = "t1", reply_to = q.message,
                           text = "Hi Ada, firmware 3.1 fixes the morning disconnects. It installs from the app." }
      assert.equals("answered", first(d, "tag").name)
      assert.equals("mark-answered", first(d, "tag").rule)
    end)

    it("counts a trusted member's reply, but not a newer member's or the asker's own", function()
      local q = ada_asks()
      local own = host.post{ author = "ada", thread = "t1", reply_to = q.message,
                             text = "For what it is worth, it happens around seven every morning." }
      assert.is_false(own:has("tag", { name = "answered" }))
      local newer = host.post{ author = "bob", thread = "t1", reply_to = q.message,
                               text = "Mine did that too until I reinstalled the companion app." }
      assert.is_false(newer:has("tag", { name = "answered" }))
      local trusted = host.post{ author = "tess", thread = "t1", reply_to = q.message,
                                 text = "Turn off battery optimisation for the companion app; that stops it." }
      assert.truthy(trusted:has("tag", { name = "answered" }))
    end)

    it("follows answered_by_trust and tags a thread only once", function()
      host.settings{ answered_by_trust = 2 }
      local q = ada_asks()
      assert.truthy(host.post{ author = "bob", thread = "t1", reply_to = q.message,
                               text = "Reinstalling the companion app fixed it for me." }:has("tag"))
      local complaint = host.post{ author = "ada", thread = "t1",
                                   text = "It is still broken after the reinstall, and I am frustrated." }
      assert.truthy(complaint:has("route", { team = "care" }))
      local staff = host.post{ author = "sam", thread = "t1", reply_to = complaint.message,
                               text = "Sorry, Ada. I have sent you a replacement tracker today." }
      assert.is_false(staff:has("tag", { name = "answered" }))
      local due = host.advance(240)
      assert.equals(2, #due) -- the question's timer and the complaint's: both answered
      for _, decision in ipairs(due) do
        assert.is_false(decision:has("notify"))
      end
    end)
  end)

  describe("escalate-unanswered", function()
    it("tells the team when nobody from staff answered in time", function()
      host.settings{ answer_within_minutes = 30 }
      ada_asks()
      assert.equals(0, #host.advance(29))
      local due = host.advance(1)
      assert.equals(1, #due)
      assert.same({}, due[1].failures)
      local note = first(due[1], "notify")
      assert.equals("support", note.team)
      assert.equals("escalate-unanswered", note.rule)
      assert.truthy(note.text:find("Tracker loses its pairing", 1, true))
      assert.truthy(note.text:find("within 30 minutes", 1, true))
    end)

    it("still escalates when only a newer member replied", function()
      local q = ada_asks()
      host.post{ author = "bob", thread = "t1", reply_to = q.message, text = "No idea, mine works fine." }
      assert.truthy(host.advance(240)[1]:has("notify", { team = "support" }))
    end)

    it("stays quiet when staff answered", function()
      local q = ada_asks()
      host.post{ author = "sam", thread = "t1", reply_to = q.message,
                 text = "Hi Ada, firmware 3.1 fixes this; update from the app." }
      local due = host.advance(240)
      assert.equals(1, #due)
      assert.is_false(due[1]:has("notify"))
    end)

    it("tells each kind's team about its own signal", function()
      host.post{ author = "bob", thread = "t2", title = "Ideas",
                 text = "A suggestion: let us share the step goal with family members." }
      host.post{ author = "ada", thread = "t3", title = "Refund",
                 text = "My order arrived damaged and I would like a refund, please." }
      local due = host.advance(240)
      assert.equals(2, #due)
      local teams = { first(due[1], "notify").team, first(due[2], "notify").team }
      table.sort(teams)
      assert.same({ "care", "product" }, teams)
    end)
  end)

  describe("tag-feedback-themes", function()
    it("tags every theme a member's post mentions, once per thread", function()
      local d = host.post{ author = "bob", thread = "t2", title = "Battery and price",
                           text = "The battery lasts two days, which is fine, but the subscription went up again." }
      assert.same({ "theme-pricing", "theme-battery" }, tags_of(d))
      assert.equals("tag-feedback-themes", d:effect("tag", { name = "theme-battery" }).rule)
      local again = host.post{ author = "ada", thread = "t2", text = "Charging takes me three hours as well." }
      assert.is_false(again:has("tag", { name = "theme-battery" }))
    end)

    it("matches words at their start only, and ignores staff posts", function()
      local happy = host.post{ author = "bob", thread = "t2", title = "Thanks",
                               text = "I am very happy with how the tracker feels on my wrist." }
      assert.is_false(happy:has("tag"))
      local staff = host.post{ author = "sam", thread = "t3", title = "Release notes",
                               text = "The new app update improves battery life by a fifth." }
      assert.is_false(staff:has("tag"))
    end)

    it("follows the themes setting", function()
      host.settings{ themes = { "Wrist Comfort = strap|band|itchy", "no words here" } }
      local d = host.post{ author = "bob", thread = "t2", title = "Strap",
                           text = "The band makes my skin itchy after a long run." }
      assert.same({ "theme-wrist-comfort" }, tags_of(d))
    end)
  end)

  describe("member notices", function()
    it("sends no notice when a complaint is routed and acknowledged: listening never acts on a post", function()
      host.settings{ acknowledge = true }
      local d = host.post{ author = "bob", thread = "t2", title = "Strap",
                           text = "The strap stopped working after a week. I am really disappointed." }
      assert.truthy(d:has("route", { team = "care" }))
      assert.truthy(d:has("reply"))
      assert.equals("allow", d.verdict)
      assert.is_nil(d.notice)
      assert.is_nil(host.advance(240)[1].notice)
    end)
  end)
end)
