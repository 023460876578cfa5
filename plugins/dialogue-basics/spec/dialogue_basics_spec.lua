-- Specs for the dialogue-basics plugin. Run them with:
--   parley test plugins/dialogue-basics
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

--- Posts one message that opens `thread` and returns the decision's verdict.
---@param author string
---@param thread string
---@param text string
---@return string
local function verdict_of(author, thread, text)
  return host.post{ author = author, thread = thread, title = "About " .. thread, text = text }.verdict
end

--- Posts `count` plain messages (no question, no link) by one member; returns the decisions.
---@param author string
---@param count integer
---@return ParleyDecision[]
local function post_times(author, count)
  local decisions = {}
  for i = 1, count do
    decisions[i] = host.post{
      author = author, thread = "chat-" .. author, title = "Chat", text = "Post number " .. i .. " from me.",
    }
  end
  return decisions
end

describe("dialogue-basics", function()
  before_each(function()
    host.member{ id = "ada", name = "Ada", role = "member", trust = 3,
                 consents = { support = true, news = true, offers = false } }
    host.member{ id = "carol", name = "Carol", role = "member", trust = 2,
                 consents = { support = true, news = true, offers = true } }
    host.member{ id = "bob", name = "Bob", role = "member", trust = 2,
                 consents = { support = true, news = false, offers = false } }
    host.member{ id = "sam", name = "Sam", role = "staff", affiliation = "Acme", trust = 4,
                 consents = { support = true, news = true, offers = true } }
    host.member{ id = "mia", name = "Mia", role = "moderator", trust = 4,
                 consents = { support = true, news = false, offers = false } }
    host.member{ id = "nick", name = "Nick", role = "member", trust = 0,
                 consents = { support = true, news = false, offers = false } }
  end)

  describe("route-questions", function()
    it("routes a member's question to support, tags it and starts the answer clock", function()
      local d = host.post{ author = "ada", thread = "t1", title = "Router keeps rebooting",
                           text = "My router reboots every few hours. Is there a fix?" }
      assert.equals("allow", d.verdict)
      assert.same({}, d.failures)
      local route = first(d, "route")
      assert.equals("support", route.team)
      assert.equals("route-questions", route.rule)
      assert.equals("question", first(d, "tag").name)
      assert.truthy(d:has("schedule"))
    end)

    it("leaves statements alone", function()
      local d = host.post{ author = "ada", thread = "t1", title = "Tip", text = "Rebooting weekly keeps mine fast." }
      assert.is_false(d:has("route"))
      assert.is_false(d:has("schedule"))
    end)

    it("does not route staff questions or replies", function()
      local staff = host.post{ author = "sam", thread = "t1", title = "Poll",
                               text = "Which feature should we build next?" }
      assert.is_false(staff:has("route"))
      local reply = host.post{ author = "ada", thread = "t1", reply_to = staff.message, text = "Could it be VPN?" }
      assert.is_false(reply:has("route"))
    end)

    it("routes a thread only once", function()
      host.post{ author = "ada", thread = "t1", title = "Wi-Fi drops", text = "Why does my Wi-Fi drop?" }
      local again = host.post{ author = "ada", thread = "t1", text = "Anyone? It happened again?" }
      assert.is_false(again:has("route"))
    end)
  end)

  describe("unanswered-follow-up", function()
    it("tells support when nobody answered in time", function()
      host.settings{ answer_within_minutes = 5 }
      host.post{ author = "ada", thread = "t1", title = "Wi-Fi drops at night",
                 text = "Why does my Wi-Fi drop at night?" }
      assert.equals(0, #host.advance(4))
      local due = host.advance(1)
      assert.equals(1, #due)
      assert.same({}, due[1].failures)
      local note = first(due[1], "notify")
      assert.equals("support", note.team)
      assert.equals("unanswered-follow-up", note.rule)
      assert.truthy(note.text:find("Wi-Fi drops at night", 1, true))
    end)

    it("stays quiet when the question was answered", function()
      host.settings{ answer_within_minutes = 5 }
      local q = host.post{ author = "ada", thread = "t1", title = "Wi-Fi drops", text = "Why does my Wi-Fi drop?" }
      host.post{ author = "carol", thread = "t1", reply_to = q.message, text = "Turn off Smart Connect." }
      local due = host.advance(5)
      assert.equals(1, #due)
      assert.is_false(due[1]:has("notify"))
    end)

    it("counts a staff answer as an answer", function()
      host.settings{ answer_within_minutes = 5 }
      local q = host.post{ author = "ada", thread = "t1", title = "Wi-Fi drops", text = "Why does my Wi-Fi drop?" }
      host.post{ author = "sam", thread = "t1", reply_to = q.message, text = "Update to firmware 2.2, Ada." }
      local due = host.advance(5)
      assert.is_false(due[1]:has("notify"))
    end)
  end)

  describe("thank-helpers", function()
    it("gives points to the member who answers first", function()
      local q = host.post{ author = "ada", thread = "t1", title = "Wi-Fi drops", text = "Why does my Wi-Fi drop?" }
      local d = host.post{ author = "carol", thread = "t1", reply_to = q.message, text = "Turn off Smart Connect." }
      local points = effects_of(d, "score")
      assert.equals(1, #points)
      assert.equals(10, points[1].points)
      assert.equals("carol", points[1].member)
      assert.equals("thank-helpers", points[1].rule)
    end)

    it("gives no points to the asker, to later answers, or to staff", function()
      local q = host.post{ author = "ada", thread = "t1", title = "Wi-Fi drops", text = "Why does my Wi-Fi drop?" }
      local own = host.post{ author = "ada", thread = "t1", reply_to = q.message, text = "It drops around 22:00." }
      assert.is_false(own:has("score"))
      local staff = host.post{ author = "sam", thread = "t1", reply_to = q.message, text = "Try firmware 2.2." }
      assert.is_false(staff:has("score"))
      local later = host.post{ author = "carol", thread = "t1", reply_to = q.message, text = "2.2 fixed it for me." }
      assert.is_false(later:has("score"))
    end)

    it("gives no points for replies in threads that are not questions", function()
      local p = host.post{ author = "ada", thread = "t1", title = "Photos", text = "My new setup." }
      local d = host.post{ author = "carol", thread = "t1", reply_to = p.message, text = "Looks great." }
      assert.is_false(d:has("score"))
    end)
  end)

  describe("newcomer-links", function()
    it("holds a link from a brand-new member", function()
      local d = host.post{ author = "nick", thread = "t1", title = "Guide",
                           text = "This guide helped me: https://meshguide.example.org/placement" }
      assert.equals("hold", d.verdict)
      assert.truthy(has_reason(d, "new members"))
    end)

    it("sees links written without http, with 'dot', or with invisible characters", function()
      assert.equals("hold", verdict_of("nick", "t1", "visit www.cheap-routers.net"))
      assert.equals("hold", verdict_of("nick", "t2", "go to cheaprouters dot shop now"))
      assert.equals("hold", verdict_of("nick", "t3", "cheaprouters[.]com"))
      assert.equals("hold", verdict_of("nick", "t4", "cheaprouters.\u{200B}com"))
    end)

    it("holds a link added by editing", function()
      local d = host.post{ author = "nick", thread = "t1", title = "Hello", text = "Hello everyone." }
      assert.equals("allow", d.verdict)
      local edited = host.edit{ message = d.message, text = "Hello everyone. Deals at https://spam.example.com" }
      assert.equals("hold", edited.verdict)
    end)

    it("lets newcomers post without links, and trusted members post links", function()
      assert.equals("allow", verdict_of("nick", "t1", "Firmware 2.1 fixed it. Thanks!"))
      assert.equals("allow", verdict_of("ada", "t2", "Official guide: https://acme.example.com/mesh"))
    end)
  end)

  describe("no-shouting", function()
    it("flags a post written in capitals", function()
      local d = host.post{ author = "bob", thread = "t1", title = "Help", text = "WHY IS MY ROUTER NOT WORKING AT ALL" }
      assert.equals("flag", d.verdict)
      assert.truthy(has_reason(d, "capital"))
    end)

    it("does not flag acronyms, short outbursts or normal posts", function()
      assert.equals("allow", verdict_of("bob", "t1", "The USB, WAN and LAN ports work; DHCP and DNS too."))
      assert.equals("allow", verdict_of("bob", "t2", "HELP ME PLS"))
      assert.equals("allow", verdict_of("bob", "t3", "My RT-AX58U from Scunthorpe works fine."))
    end)

    it("follows the shouting_min_letters setting", function()
      host.settings{ shouting_min_letters = 30 }
      assert.equals("allow", verdict_of("bob", "t1", "WHY IS MY ROUTER NOT WORKING"))
    end)
  end)

  describe("disclose-sponsored", function()
    it("holds an undisclosed promotional post by staff and says to disclose it", function()
      local d = host.post{ author = "sam", thread = "t1", title = "Weekend deal",
                           text = "Weekend deal: 20% off all mesh kits, buy now!" }
      assert.equals("hold", d.verdict)
      assert.truthy(has_reason(d, "disclose it as sponsored"))
      assert.truthy(has_reason(d, "Acme"))
    end)

    it("allows the same post marked sponsored", function()
      local d = host.post{ author = "sam", thread = "t1", title = "Weekend deal", sponsored = true,
                           text = "Weekend deal: 20% off all mesh kits, buy now!" }
      assert.equals("allow", d.verdict)
    end)

    it("applies to affiliated members and to edits", function()
      host.member{ id = "rep", name = "Rep", role = "member", affiliation = "Acme", trust = 2,
                   consents = { support = true } }
      local d = host.post{ author = "rep", thread = "t1", title = "Tip", text = "Reset the mesh nodes in order." }
      assert.equals("allow", d.verdict)
      local edited = host.edit{ message = d.message,
                                text = "Reset the mesh nodes in order. Use my DIS\u{200B}COUNT code!" }
      assert.equals("hold", edited.verdict)
    end)

    it("leaves members without an affiliation alone", function()
      local d = host.post{ author = "ada", thread = "t1", title = "Deal", text = "I got 20% off at my local shop." }
      assert.equals("allow", d.verdict)
    end)
  end)

  describe("welcome", function()
    it("sends a new member a private welcome by name", function()
      host.member{ id = "zoe", name = "Zoe", role = "member", trust = 0, consents = { support = true } }
      local d = host.join("zoe")
      local hello = first(d, "contact")
      assert.equals("zoe", hello.member)
      assert.equals("support", hello.purpose)
      assert.truthy(hello.text:find("Zoe", 1, true))
    end)

    it("uses the community's greeting", function()
      host.settings{ greeting = "Hi {name}, glad you're here." }
      host.member{ id = "zoe", name = "Zoe", role = "member", trust = 0, consents = { support = true } }
      assert.equals("Hi Zoe, glad you're here.", first(host.join("zoe"), "contact").text)
    end)
  end)

  describe("loyalty-offer", function()
    it("delivers the offer at the third post to a member who accepted offers, once", function()
      local d = post_times("carol", 4)
      assert.is_false(d[2]:has("contact"))
      local offer = first(d[3], "contact")
      assert.equals("carol", offer.member)
      assert.equals("offers", offer.purpose)
      assert.equals("loyalty-offer", offer.rule)
      assert.same({}, d[3].blocked)
      assert.is_false(d[4]:has("contact"))
    end)

    it("is blocked by the core for a member who did not accept offers", function()
      local d = post_times("ada", 3)
      assert.is_false(d[3]:has("contact"))
      assert.equals(1, #d[3].blocked)
      local blocked = d[3].blocked[1]
      assert.equals("contact", blocked.kind)
      assert.equals("offers", blocked.purpose)
      assert.equals("ada", blocked.member)
      assert.equals("string", type(blocked.why))
      assert.equals("allow", d[3].verdict)
    end)

    it("reaches a member who accepted offers before the third post", function()
      post_times("bob", 2)
      host.consent("bob", "offers", true)
      local third = host.post{ author = "bob", thread = "t9", title = "More", text = "And one more." }
      assert.equals("offers", first(third, "contact").purpose)
    end)

    it("never offers anything to staff", function()
      local d = post_times("sam", 3)
      assert.is_false(d[3]:has("contact"))
      assert.same({}, d[3].blocked)
    end)
  end)

  describe("report-review", function()
    it("tells the moderators about a report", function()
      local spam = host.post{ author = "bob", thread = "t1", title = "Prices", text = "Cheapest routers anywhere." }
      local d = host.report{ message = spam.message, reporter = "ada", reason = "spam" }
      local note = first(d, "notify")
      assert.equals("moderators", note.team)
      assert.truthy(note.text:find("spam", 1, true))
      assert.equals("allow", d.verdict)
    end)

    it("holds a message after three members reported it", function()
      local spam = host.post{ author = "bob", thread = "t1", title = "Prices", text = "Cheapest routers anywhere." }
      assert.equals("allow", host.report{ message = spam.message, reporter = "ada", reason = "spam" }.verdict)
      assert.equals("allow", host.report{ message = spam.message, reporter = "carol", reason = "spam" }.verdict)
      local third = host.report{ message = spam.message, reporter = "nick", reason = "ad" }
      assert.equals("hold", third.verdict)
      assert.truthy(has_reason(third, "reported by 3 members"))
    end)

    it("counts one member's repeated reports once", function()
      host.settings{ reports_to_hold = 2 }
      local spam = host.post{ author = "bob", thread = "t1", title = "Prices", text = "Cheapest routers anywhere." }
      host.report{ message = spam.message, reporter = "ada", reason = "spam" }
      local again = host.report{ message = spam.message, reporter = "ada", reason = "still spam" }
      assert.equals("allow", again.verdict)
      assert.is_false(again:has("notify"))
      assert.equals("hold", host.report{ message = spam.message, reporter = "carol", reason = "spam" }.verdict)
    end)
  end)

  describe("member notices", function()
    it("welcomes a newcomer whose link waits, without the trust level", function()
      local d = host.post{ author = "nick", thread = "t1", title = "Guide",
                           text = "This guide helped me: https://meshguide.example.org/placement" }
      assert.equals("nick", d.notice.member)
      assert.same({ "Links from new members are checked" }, d.notice.rules)
      assert.matches("not about you", d.notice.message)
      assert.is_nil(d.notice.text:find("trust", 1, true))
    end)

    it("tells staff how to disclose, without the promotional words", function()
      local d = host.post{ author = "sam", thread = "t1", title = "Weekend deal",
                           text = "Weekend deal: 20% off all mesh kits, buy now!" }
      assert.equals("Mark promotion as sponsored", d.notice.rules[1])
      assert.matches("mark promotional posts as sponsored", d.notice.message)
      assert.is_nil(d.notice.text:find("buy now", 1, true))
      assert.is_nil(d.notice.text:find("promo_words", 1, true))
    end)

    it("tells the author of a reported post, not the reporters, and not how many reported it", function()
      host.settings{ reports_to_hold = 2 }
      local spam = host.post{ author = "bob", thread = "t1", title = "Prices", text = "Cheapest routers anywhere." }
      assert.is_nil(host.report{ message = spam.message, reporter = "ada", reason = "spam" }.notice)
      local d = host.report{ message = spam.message, reporter = "carol", reason = "spam" }
      assert.equals("bob", d.notice.member)
      assert.same({ "Reported posts are reviewed" }, d.notice.rules)
      for _, secret in ipairs({ "ada", "carol", "2", "reports_to_hold" }) do
        assert.is_nil(d.notice.text:find(secret, 1, true))
      end
    end)

    it("explains a shouting flag", function()
      local d = host.post{ author = "bob", thread = "t1", title = "Help", text = "WHY IS MY ROUTER NOT WORKING AT ALL" }
      assert.same({ "No shouting" }, d.notice.rules)
      assert.matches("Lower case is easier to read", d.notice.message)
    end)
  end)
end)
