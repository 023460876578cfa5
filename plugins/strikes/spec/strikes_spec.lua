-- Specs for the strikes plugin. Run them with:
--   parley test plugins/strikes
-- Every `it` starts with a fresh community (the members below) and a manual clock.
-- Only this plugin runs in specs, so a post is allowed when it is made; a moderator
-- then rejects it with host.review, which the core accepts for any posted message.

local DAY = 1440 -- minutes

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

local topics = 0

--- A new post by `author` in a thread of its own; returns the decision.
---@param author string
---@return ParleyDecision
local function say(author)
  topics = topics + 1
  return host.post{ author = author, thread = "t" .. topics, title = "Topic " .. topics,
                    text = "Here is what I think about topic " .. topics .. "." }
end

--- A post by `author` that a moderator then rejects; returns the review's decision and the post's.
---@param author string
---@return ParleyDecision review
---@return ParleyDecision post
local function rejected(author)
  local post = say(author)
  return host.review{ message = post.message, outcome = "rejected", moderator = "mia" }, post
end

--- Checks that the member's notice leaks nothing: no counts, steps, settings or rule ids.
--- (The core's own lines may say "muted for 60 minutes"; the plugin's words never do.)
---@param d ParleyDecision
local function plain(d)
  for _, secret in ipairs({ "strike", "ladder", "decay", "hold-", "days" }) do
    assert.is_nil(d.notice.text:lower():find(secret, 1, true))
  end
  for _, secret in ipairs({ "warn", "mute", "hold", "minute" }) do
    assert.is_nil(d.notice.message:lower():find(secret, 1, true))
  end
  assert.is_nil(d.notice.message:find("%d"))
end

describe("strikes", function()
  before_each(function()
    host.member{ id = "ada", name = "Ada", role = "member", trust = 2 }
    host.member{ id = "bo", name = "Bo", role = "member", trust = 1 }
    host.member{ id = "mia", name = "Mia", role = "moderator", trust = 4 }
    host.member{ id = "sam", name = "Sam", role = "staff", affiliation = "Acme", trust = 4 }
  end)

  describe("strike-on-rejection", function()
    it("climbs the default ladder: a warning, a 60-minute mute, a day's mute, then held posts", function()
      local first = rejected("ada")
      assert.equals("remove", first.verdict)
      assert.equals("strike-on-rejection", first.rule)
      assert.same({ "first strike in 30 days: a warning" }, first.reasons)
      assert.is_false(first:has("mute"))
      assert.equals("allow", say("ada").verdict)

      local second = rejected("ada")
      assert.same({ "second strike in 30 days: muted for 60 minutes" }, second.reasons)
      assert.has_effect(second, "mute", { minutes = 60, member = "ada" })

      host.advance(61)
      local third = rejected("ada")
      assert.same({ "third strike in 30 days: muted for 1440 minutes" }, third.reasons)
      assert.has_effect(third, "mute", { minutes = 1440, member = "ada" })

      host.advance(DAY + 1)
      assert.equals("allow", say("ada").verdict) -- the mute is over, and three strikes do not hold posts
      local fourth = rejected("ada")
      assert.same({ "fourth strike in 30 days: their posts and edits are held for a moderator until a strike fades" },
        fourth.reasons)
      assert.is_false(fourth:has("mute"))

      local held = say("ada")
      assert.equals("hold", held.verdict)
      assert.equals("hold-after-strikes", held.rule)
      assert.truthy(has_reason(held, "4 active strikes in 30 days (posts are held from 4)"))
      local edited = host.edit{ message = held.message, text = "Here is what I think, said more kindly." }
      assert.equals("hold", edited.verdict)
      assert.equals("hold-after-strikes", edited.rule)
    end)

    it("repeats the last step beyond the ladder's end", function()
      for _ = 1, 4 do rejected("ada") end
      local fifth = rejected("ada")
      assert.truthy(has_reason(fifth, "fifth strike in 30 days: their posts and edits are held"))
      host.settings{ ladder = { "warn", "mute 15" } }
      local sixth = rejected("ada")
      assert.same({ "sixth strike in 30 days: muted for 15 minutes" }, sixth.reasons)
      assert.has_effect(sixth, "mute", { minutes = 15, member = "ada" })
    end)

    it("follows a community's own ladder", function()
      host.settings{ ladder = { " Mute 5 ", "HOLD" }, decay_days = 7 }
      local first = rejected("ada")
      assert.same({ "first strike in 7 days: muted for 5 minutes" }, first.reasons)
      assert.has_effect(first, "mute", { minutes = 5, member = "ada" })
      host.advance(6)
      assert.equals("allow", say("ada").verdict)
      local second = rejected("ada")
      assert.same({ "second strike in 7 days: their posts and edits are held for a moderator until a strike fades" },
        second.reasons)
      local held = say("ada")
      assert.equals("hold-after-strikes", held.rule)
      assert.truthy(has_reason(held, "2 active strikes in 7 days (posts are held from 2)"))
    end)

    it("never holds posts when the ladder has no hold step", function()
      host.settings{ ladder = { "warn" } }
      for i = 1, 3 do
        assert.truthy(has_reason(rejected("ada"), "strike in 30 days: a warning"))
        assert.equals("allow", say("ada").verdict, "post after strike " .. i)
      end
    end)

    it("counts each member on their own", function()
      rejected("ada")
      rejected("ada")
      assert.same({ "first strike in 30 days: a warning" }, rejected("bo").reasons)
    end)

    it("gives no strike for an approved review", function()
      local post = say("ada")
      local approved = host.review{ message = post.message, outcome = "approved", moderator = "mia" }
      assert.equals("allow", approved.verdict)
      assert.matches("approved your post", approved.notice.headline) -- Parley's own words, no strike's
      assert.is_nil(approved.notice.message)
      assert.same({}, approved.effects)
      assert.same({ "first strike in 30 days: a warning" }, rejected("ada").reasons)
    end)

    it("counts the same message once, even when it is rejected twice", function()
      local first, post = rejected("ada")
      assert.equals("remove", first.verdict)
      local again = host.review{ message = post.message, outcome = "rejected", moderator = "mia" }
      assert.equals("allow", again.verdict)
      assert.is_nil(again.notice.message) -- no strike's words: only Parley's "removed it"
      assert.same({}, again.effects)
      assert.same({ "second strike in 30 days: muted for 60 minutes" }, rejected("ada").reasons)
    end)

    it("applies to moderators and staff too: a moderator confirmed the break", function()
      local moderator = rejected("mia")
      assert.equals("remove", moderator.verdict)
      assert.same({ "first strike in 30 days: a warning" }, moderator.reasons)
      rejected("sam")
      assert.has_effect(rejected("sam"), "mute", { minutes = 60, member = "sam" })
    end)
  end)

  describe("bad settings", function()
    cases({
      { name = "mute x", ladder = { "warn", "mute x" } },
      { name = "ban", ladder = { "ban", "hold" } },
      { name = "mute 0", ladder = { "warn", "mute 0" } },
      { name = "mute", ladder = { "mute" } },
    }, "fails naming the ladder step '%s', and stores nothing", function(case)
      host.settings{ ladder = case.ladder }
      local d = rejected("ada")
      assert.equals(1, #d.failures)
      assert.equals("strike-on-rejection", d.failures[1].rule)
      assert.truthy(d.failures[1].error:find("strikes: ladder step '" .. case.name .. "' is not warn, mute N or hold",
        1, true))
      assert.truthy(d.failures[1].error:find("strikes.lua:", 1, true))
      assert.equals("allow", d.verdict) -- the plugin fails open
      host.settings{}
      assert.same({ "first strike in 30 days: a warning" }, rejected("ada").reasons)
    end)

    it("fails on decay_days below one", function()
      host.settings{ decay_days = 0 }
      assert.truthy(rejected("ada").failures[1].error:find("strikes: decay_days must be at least 1, not 0", 1, true))
    end)
  end)

  describe("member notices", function()
    it("tells the member what happened and what they can do, in plain words", function()
      host.settings{ ladder = { "warn", "mute 60", "hold" } }
      local warned = rejected("ada")
      assert.equals("ada", warned.notice.member)
      assert.matches("^A moderator reviewed your post in “.+” and removed it%.$", warned.notice.headline)
      assert.same({ "Rule breaks add up" }, warned.notice.rules)
      assert.matches("only a reminder", warned.notice.message)
      assert.matches("stops counting after a while", warned.notice.message)
      assert.matches("appeal", warned.notice.message)
      assert.is_nil(warned.notice.message:find("not the first time", 1, true))
      plain(warned)

      local muted = rejected("ada")
      assert.matches("You are muted for 60 minutes", muted.notice.headline)
      assert.matches("short break from posting", muted.notice.message)
      assert.matches("not the first time", muted.notice.message)
      assert.matches("appeal", muted.notice.message)
      plain(muted)

      host.advance(61)
      local holding = rejected("ada")
      assert.matches("look at your new posts", holding.notice.message)
      assert.matches("not the first time", holding.notice.message)
      plain(holding)

      local held = say("ada")
      assert.equals("ada", held.notice.member)
      assert.matches("waiting for a moderator", held.notice.headline)
      assert.same({ "Posts checked after repeated rule breaks" }, held.notice.rules)
      assert.matches("ends by itself", held.notice.message)
      assert.matches("appeal", held.notice.message)
      plain(held)
    end)

    it("does not call a first strike a repeat, whatever the ladder's first step is", function()
      host.settings{ ladder = { "mute 30" } }
      local muted = rejected("ada")
      assert.matches("You are muted for 30 minutes", muted.notice.headline)
      assert.matches("short break from posting", muted.notice.message)
      assert.is_nil(muted.notice.message:find("not the first time", 1, true))
      plain(muted)
    end)
  end)

  describe("decay", function()
    it("stops counting a strike after decay_days", function()
      rejected("ada")
      host.advance(30 * DAY - 1)
      assert.same({ "second strike in 30 days: muted for 60 minutes" }, rejected("ada").reasons)
      host.advance(61) -- the first strike is now 30 days old, and the mute is over
      assert.same({ "second strike in 30 days: muted for 60 minutes" }, rejected("ada").reasons)
      host.advance(30 * DAY)
      assert.same({ "first strike in 30 days: a warning" }, rejected("ada").reasons)
    end)

    it("lets posts through again once enough strikes have faded", function()
      host.settings{ ladder = { "warn", "hold" }, decay_days = 7 }
      rejected("ada")
      host.advance(3 * DAY)
      rejected("ada")
      assert.equals("hold", say("ada").verdict)
      host.advance(4 * DAY) -- the first strike fades; one is left
      assert.equals("allow", say("ada").verdict)
      host.advance(3 * DAY) -- the second fades too
      assert.equals("allow", say("ada").verdict)
      assert.same({ "first strike in 7 days: a warning" }, rejected("ada").reasons)
    end)

    it("counts a one-day window to the minute", function()
      host.settings{ ladder = { "hold" }, decay_days = 1 }
      local first = rejected("ada")
      assert.same({ "first strike in 1 day: their posts and edits are held for a moderator until a strike fades" },
        first.reasons)
      host.advance(DAY - 1)
      assert.truthy(has_reason(say("ada"), "1 active strike in 1 day (posts are held from 1)"))
      host.advance(1)
      assert.equals("allow", say("ada").verdict)
    end)
  end)

  describe("lift-on-appeal", function()
    it("takes back the strike when the appeal against the review is overturned", function()
      rejected("ada")
      local second = rejected("ada")
      local filed = host.appeal{ decision = second.id, member = "ada",
                                 text = "I was quoting the spammer to warn others." }
      assert.equals("allow", filed.verdict)
      assert.matches("is with the moderators", filed.notice.headline)

      local answer = host.resolve_appeal{ decision = second.id, outcome = "overturned", moderator = "lee" }
      assert.equals("lift-on-appeal", answer:effect("notify").rule)
      assert.has_effect(answer, "notify", { team = "moderators", text = "was taken back after an overturned appeal" })
      assert.has_effect(answer, "notify", { text = "1 active strike left" })
      assert.has_effect(answer, "restore", { message = second.message })
      assert.has_effect(answer, "lift_mute", { member = "ada" })
      assert.matches("Your appeal was accepted", answer.notice.headline)

      assert.equals("allow", say("ada").verdict) -- the mute was lifted by the core
      assert.same({ "second strike in 30 days: muted for 60 minutes" }, rejected("ada").reasons)
    end)

    it("stops holding the member's posts once the strike is taken back", function()
      host.settings{ ladder = { "warn", "hold" } }
      rejected("ada")
      local second = rejected("ada")
      assert.equals("hold", say("ada").verdict)
      host.appeal{ decision = second.id, member = "ada", text = "That was a quote." }
      local answer = host.resolve_appeal{ decision = second.id, outcome = "overturned" }
      assert.has_effect(answer, "notify", { text = "1 active strike left" })
      assert.equals("allow", say("ada").verdict)
    end)

    it("takes it back when the appeal is against the decision that held the post, and only once", function()
      host.settings{ ladder = { "hold" } }
      rejected("ada") -- posts are held from the first strike on
      local held = say("ada")
      assert.equals("hold", held.verdict)
      local review = host.review{ message = held.message, outcome = "rejected", moderator = "mia" }
      assert.truthy(has_reason(review, "second strike in 30 days"))

      host.appeal{ decision = held.id, member = "ada", text = "This post was fine." }
      local answer = host.resolve_appeal{ decision = held.id, outcome = "overturned" }
      assert.has_effect(answer, "notify", { text = "strike for message " .. held.message })
      assert.has_effect(answer, "notify", { text = "1 active strike left" })
      assert.has_effect(answer, "restore", { message = held.message })

      -- The review of the same post can be appealed too; its strike is gone already.
      host.appeal{ decision = review.id, member = "ada", text = "Same post." }
      local again = host.resolve_appeal{ decision = review.id, outcome = "overturned" }
      assert.is_false(again:has("notify"))
      assert.has_effect(again, "restore", { message = held.message })

      -- The same post never gives a strike again.
      local rejected_again = host.review{ message = held.message, outcome = "rejected", moderator = "mia" }
      assert.equals("allow", rejected_again.verdict)
      assert.same({ "second strike in 30 days: their posts and edits are held for a moderator until a strike fades" },
        rejected("ada").reasons)
    end)

    it("does nothing when the post gave no strike", function()
      host.settings{ ladder = { "hold" } }
      rejected("ada")
      local held = say("ada")
      host.appeal{ decision = held.id, member = "ada", text = "This one was fine." }
      local answer = host.resolve_appeal{ decision = held.id, outcome = "overturned" }
      assert.is_false(answer:has("notify"))
      assert.has_effect(answer, "restore", { message = held.message })
      assert.equals("hold", say("ada").verdict) -- the first strike still counts
    end)

    it("lifts nothing when the appeal is upheld", function()
      local first = rejected("ada")
      host.appeal{ decision = first.id, member = "ada", text = "I did nothing wrong." }
      local answer = host.resolve_appeal{ decision = first.id, outcome = "upheld" }
      assert.is_false(answer:has("notify"))
      assert.is_false(answer:has("restore"))
      assert.matches("stands", answer.notice.headline)
      assert.same({ "second strike in 30 days: muted for 60 minutes" }, rejected("ada").reasons)
    end)
  end)
end)
