-- Specs for the no-broadcast plugin. Run them with:
--   parley test plugins/no-broadcast
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

-- Different things a member might say, so that no two posts share a fingerprint.
local TOPICS = { "router", "mesh node", "firmware", "guest network", "parental controls",
                 "port forwarding", "VPN client", "DNS settings", "signal strength", "channel width",
                 "band steering", "power adapter", "status light", "mobile app" }
local FEELINGS = { "works well for me", "took a while to set up", "finally makes sense",
                   "confused me at first" }

--- Posts `count` different messages by one member in one thread; returns the decisions.
---@param author string
---@param count integer
---@return ParleyDecision[]
local function chatter(author, count)
  local decisions = {}
  for i = 1, count do
    local topic = TOPICS[(i - 1) % #TOPICS + 1]
    local feeling = FEELINGS[(i - 1) // #TOPICS + 1]
    decisions[i] = host.post{ author = author, thread = "chat", title = "Setup diary",
                              text = ("Quick note: the %s %s."):format(topic, feeling) }
  end
  return decisions
end

describe("no-broadcast", function()
  before_each(function()
    host.member{ id = "ada", name = "Ada", role = "member", trust = 3,
                 history = { posts = 40, replies_to_others = 25 } }
    host.member{ id = "rex", name = "Rex", role = "member", trust = 1, age_days = 3 }
    host.member{ id = "nia", name = "Nia", role = "member", trust = 3, age_days = 2 }
    host.member{ id = "bo", name = "Bo", role = "member", affiliation = "GadgetHub", trust = 2,
                 history = { posts = 30, replies_to_others = 1 } }
    host.member{ id = "sam", name = "Sam", role = "staff", affiliation = "Acme", trust = 4,
                 history = { posts = 200, replies_to_others = 150 } }
    host.member{ id = "mia", name = "Mia", role = "moderator", trust = 4 }
  end)

  describe("repeated-posts", function()
    local AD = "Tired of slow Wi-Fi? Our booster doubles your speed. Order today and get 20% off!"

    it("holds the same advert once it is posted more than twice, in any thread", function()
      assert.equals("allow", host.post{ author = "rex", thread = "t1", title = "Slow Wi-Fi", text = AD }.verdict)
      assert.equals("allow", host.post{ author = "rex", thread = "t2", title = "Dead zones", text = AD }.verdict)
      local d = host.post{ author = "rex", thread = "t3", title = "Range", text = AD }
      assert.equals("hold", d.verdict)
      assert.equals("repeated-posts", d.rule)
      assert.truthy(has_reason(d, "posted 3 times"))
    end)

    it("sees through changed numbers, capitals, punctuation, spacing and invisible characters", function()
      host.post{ author = "rex", thread = "t1", title = "Slow Wi-Fi", text = AD }
      host.post{ author = "rex", thread = "t2", title = "Dead zones",
                 text = "TIRED of slow WiFi?? Our booster doubles your speed... Order today and get 35% OFF!!!" }
      local d = host.post{ author = "rex", thread = "t3", title = "Range",
                           text = "Tired of slow Wi\u{200B}-Fi?  Our  booster doubles your speed.\n"
                             .. "Order today and get 50% off" }
      assert.equals("hold", d.verdict)
      assert.equals("repeated-posts", d.rule)
    end)

    it("lets the same short thanks be said as often as people help", function()
      for i = 1, 4 do
        local d = host.post{ author = "ada", thread = "t" .. i, title = "Fix " .. i, text = "Thanks, that fixed it!" }
        assert.equals("allow", d.verdict)
      end
    end)

    it("forgets a text once the window has passed", function()
      host.settings{ same_text_window_minutes = 60 }
      host.post{ author = "rex", thread = "t1", title = "Slow Wi-Fi", text = AD }
      host.post{ author = "rex", thread = "t2", title = "Dead zones", text = AD }
      host.advance(61)
      assert.equals("allow", host.post{ author = "rex", thread = "t3", title = "Range", text = AD }.verdict)
    end)

    it("counts each member on their own, and leaves moderators alone", function()
      local notice = "Reminder: please read the pinned community guidelines before you open a new thread."
      host.post{ author = "rex", thread = "t1", title = "Hi", text = notice }
      host.post{ author = "ada", thread = "t2", title = "Hi", text = notice }
      assert.equals("allow", host.post{ author = "nia", thread = "t3", title = "Hi", text = notice }.verdict)
      for i = 1, 3 do
        assert.equals("allow", host.post{ author = "mia", thread = "m" .. i, title = "Rules", text = notice }.verdict)
      end
    end)
  end)

  describe("link-heavy-newcomers", function()
    local LINKS = "Best deals this week: https://deals.example.com/a https://deals.example.com/b "
      .. "and www.gadget-outlet.example.net, all shipping free."

    it("holds a post with many links from an untrusted member", function()
      local d = host.post{ author = "rex", thread = "t1", title = "Deals", text = LINKS }
      assert.equals("hold", d.verdict)
      assert.equals("link-heavy-newcomers", d.rule)
      assert.truthy(has_reason(d, "3 links"))
    end)

    it("holds the same from a trusted member whose account is only days old", function()
      assert.equals("hold", host.post{ author = "nia", thread = "t1", title = "Deals", text = LINKS }.verdict)
    end)

    it("holds links added by editing", function()
      local d = host.post{ author = "rex", thread = "t1", title = "Hello", text = "Hello everyone, glad to be here." }
      assert.equals("allow", d.verdict)
      assert.equals("hold", host.edit{ message = d.message, text = LINKS }.verdict)
    end)

    it("allows a couple of links from a newcomer, and many from an established member", function()
      local two = "The manual is at https://acme.example.com/manual and the forum FAQ at www.acme.example.com/faq."
      assert.equals("allow", host.post{ author = "rex", thread = "t1", title = "Docs", text = two }.verdict)
      assert.equals("allow", host.post{ author = "ada", thread = "t2", title = "Deals", text = LINKS }.verdict)
    end)
  end)

  describe("post-only-accounts", function()
    it("flags a new post by a member who almost never replies to anyone", function()
      local d = host.post{ author = "bo", thread = "t1", title = "New arrivals",
                           text = "Our new range of smart plugs has arrived, check out the catalogue in our shop." }
      assert.equals("flag", d.verdict)
      assert.equals("post-only-accounts", d.rule)
      assert.truthy(has_reason(d, "30 posts but only 1 replies"))
    end)

    it("does not flag that member's replies to others", function()
      local q = host.post{ author = "ada", thread = "t1", title = "Plugs",
                           text = "Do these plugs work without the cloud?" }
      local d = host.post{ author = "bo", thread = "t1", reply_to = q.message,
                           text = "Yes, they work locally once you pair them over Bluetooth." }
      assert.equals("allow", d.verdict)
    end)

    it("leaves members who talk with others, and new members, alone", function()
      assert.equals("allow", host.post{ author = "ada", thread = "t1", title = "Tip",
                                        text = "Moving the router off the floor doubled my signal." }.verdict)
      assert.equals("allow", host.post{ author = "rex", thread = "t2", title = "Hello",
                                        text = "Hi all, I just set up my first mesh system at home." }.verdict)
      assert.equals("allow", host.post{ author = "sam", thread = "t3", title = "Update",
                                        text = "Firmware 2.2 is rolling out this week to all routers." }.verdict)
    end)
  end)

  describe("posting-flood", function()
    it("holds posts over the limit and mutes once, at the mute threshold", function()
      host.settings{ flood_max_posts = 3, flood_mute_posts = 5, flood_mute_minutes = 30 }
      local d = chatter("ada", 6)
      for i = 1, 3 do
        assert.equals("allow", d[i].verdict)
      end
      assert.equals("hold", d[4].verdict)
      assert.equals("posting-flood", d[4].rule)
      assert.is_false(d[4]:has("mute"))
      assert.equals("hold", d[5].verdict)
      assert.truthy(d[5]:has("mute", { minutes = 30, member = "ada" }))
      assert.equals("hold", d[6].verdict)
      assert.is_false(d[6]:has("mute"))
    end)

    it("allows ten posts in ten minutes by default and holds the eleventh", function()
      local d = chatter("ada", 11)
      for i = 1, 10 do
        assert.equals("allow", d[i].verdict)
      end
      assert.equals("hold", d[11].verdict)
      assert.truthy(has_reason(d[11], "11 posts within 10 minutes"))
    end)

    it("starts counting again after the window", function()
      host.settings{ flood_max_posts = 3 }
      chatter("ada", 3)
      host.advance(10)
      local d = host.post{ author = "ada", thread = "chat", text = "Back again: the mesh node is now upstairs." }
      assert.equals("allow", d.verdict)
    end)

    it("never mutes before a post is held, even when the mute threshold is set lower", function()
      host.settings{ flood_max_posts = 3, flood_mute_posts = 2 }
      local d = chatter("ada", 4)
      assert.is_false(d[2]:has("mute"))
      assert.truthy(d[4]:has("mute"))
    end)
  end)

  describe("member notices", function()
    it("tells a newcomer why their links wait, without the limit or the setting", function()
      local d = host.post{ author = "rex", thread = "t1", title = "Deals",
                           text = "Best deals this week: https://deals.example.com/a https://deals.example.com/b "
                             .. "and www.gadget-outlet.example.net, all shipping free." }
      assert.equals("rex", d.notice.member)
      assert.same({ "Few links from new members" }, d.notice.rules)
      assert.matches("While you are new here", d.notice.message)
      for _, secret in ipairs({ "max_links", "3 links", "trust", "days" }) do
        assert.is_nil(d.notice.text:find(secret, 1, true))
      end
    end)

    it("names every rule that held a repeated advert, without counts", function()
      local ad = "Tired of slow Wi-Fi? Our booster doubles your speed. Order today and get 20% off!"
      host.post{ author = "rex", thread = "t1", title = "Slow Wi-Fi", text = ad }
      host.post{ author = "rex", thread = "t2", title = "Dead zones", text = ad }
      local d = host.post{ author = "rex", thread = "t3", title = "Range", text = ad }
      assert.same({ "No repeated posts" }, d.notice.rules)
      assert.matches("reads as advertising", d.notice.message)
      assert.is_nil(d.notice.text:find("same_text_max", 1, true))
      assert.is_nil(d.notice.text:find("3 times", 1, true))
    end)

    it("tells a flooding member to slow down, and how long the mute lasts", function()
      host.settings{ flood_max_posts = 3, flood_mute_posts = 5, flood_mute_minutes = 30 }
      local d = chatter("ada", 5)
      assert.same({ "No posting floods" }, d[4].notice.rules)
      assert.matches("slow down", d[4].notice.message)
      assert.is_nil(d[4].notice.text:find("flood_max_posts", 1, true))
      assert.matches("You are muted for 30 minutes", d[5].notice.headline)
    end)

    it("invites a post-only account to take part", function()
      local d = host.post{ author = "bo", thread = "t1", title = "New arrivals",
                           text = "Our new range of smart plugs has arrived, check out the catalogue in our shop." }
      assert.same({ "Take part in conversations" }, d.notice.rules)
      assert.matches("answering other members", d.notice.message)
      assert.is_nil(d.notice.text:find("30 posts", 1, true))
    end)
  end)
end)
