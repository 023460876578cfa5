-- Specs for the consent plugin. Run them with:
--   parley test plugins/consent
-- Every `it` starts with a fresh community (the members below) and a manual clock.
-- The plugin only knows consents it has seen: a member's own post, or a consent change.

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

--- Bob opens a thread with a question, so the plugin learns his consents; returns his message's id.
---@return string
local function bob_asks()
  return host.post{ author = "bob", thread = "t1", title = "Mesh node keeps dropping",
                    text = "My second mesh node drops off every evening. Has anyone seen this?" }.message
end

describe("consent", function()
  before_each(function()
    host.member{ id = "bob", name = "Bob", role = "member", trust = 2,
                 consents = { support = true, news = false, offers = false } }
    host.member{ id = "carol", name = "Carol", role = "member", trust = 2,
                 consents = { support = true, news = true, offers = true } }
    host.member{ id = "ada", name = "Ada", role = "member", trust = 3,
                 consents = { support = true, news = true, offers = false } }
    host.member{ id = "sam", name = "Sam", role = "staff", affiliation = "Acme", trust = 4,
                 consents = { support = true, news = true, offers = true } }
  end)

  describe("promotion-needs-permission", function()
    it("holds an offer replying to a member who did not opt in to offers", function()
      local question = bob_asks()
      local d = host.post{ author = "carol", thread = "t1", reply_to = question,
                           text = "Mine did that too. Use promo code MESH20 for a new node, it is worth it." }
      assert.equals("hold", d.verdict)
      assert.equals("promotion-needs-permission", d.rule)
      assert.truthy(has_reason(d, "bob"))
      assert.truthy(has_reason(d, "offers"))
      assert.same({}, d.failures)
    end)

    it("holds a news item mentioning a member who did not opt in to news", function()
      bob_asks()
      local d = host.post{ author = "carol", thread = "t2", title = "Firmware",
                           text = "@Bob the Acme newsletter says firmware 3.0 is now available for every node." }
      assert.equals("hold", d.verdict)
      assert.truthy(has_reason(d, "a news item"))
      assert.truthy(has_reason(d, "news"))
    end)

    it("sees through invisible characters hidden in the offer words", function()
      local question = bob_asks()
      local d = host.post{ author = "carol", thread = "t1", reply_to = question,
                           text = "Mine did that too. Use pro\u{FEFF}mo co\u{200D}de MESH20 for a new node." }
      assert.equals("hold", d.verdict)
      assert.equals("promotion-needs-permission", d.rule)
    end)

    it("allows an offer addressed to a member who opted in", function()
      local opening = host.post{ author = "carol", thread = "t1", title = "Extra node",
                                 text = "I want to add a third node to my mesh. Which model should I get?" }
      local d = host.post{ author = "ada", thread = "t1", reply_to = opening.message,
                           text = "The small one is fine, and there is 15% off this week if you want it." }
      assert.equals("allow", d.verdict)
    end)

    it("allows helpful replies without promotion, and promotion addressed to nobody", function()
      local question = bob_asks()
      local help = host.post{ author = "carol", thread = "t1", reply_to = question,
                              text = "Move it away from the microwave; mine stopped dropping after that." }
      assert.equals("allow", help.verdict)
      local open = host.post{ author = "carol", thread = "t2", title = "Deals",
                              text = "Anyone else spotted the free shipping on mesh kits this weekend?" }
      assert.equals("allow", open.verdict)
    end)

    it("leaves members it knows nothing about alone, and never counts e-mail addresses as mentions", function()
      local d = host.post{ author = "carol", thread = "t1", title = "Coupon",
                           text = "@ada the coupon from bob@example.com still works, I used it yesterday." }
      assert.equals("allow", d.verdict)
    end)

    it("answers the thread's opener when the replied-to message is no longer among the recent ones", function()
      bob_asks()
      local d = host.post{ author = "carol", thread = "t1", reply_to = "an-old-message",
                           text = "If you replace it, there is a special offer on the new nodes right now." }
      assert.equals("hold", d.verdict)
      assert.truthy(has_reason(d, "bob"))
    end)

    it("holds an offer added to a reply by editing", function()
      local question = bob_asks()
      local reply = host.post{ author = "carol", thread = "t1", reply_to = question,
                               text = "Try moving the node closer to the router first." }
      assert.equals("allow", reply.verdict)
      local edited = host.edit{ message = reply.message,
                                text = "Try moving the node closer. Or buy now: 20% off nodes with my code." }
      assert.equals("hold", edited.verdict)
    end)

    it("follows the community's offer words", function()
      host.settings{ offer_words = { "bundle price" } }
      local question = bob_asks()
      local d = host.post{ author = "carol", thread = "t1", reply_to = question,
                           text = "Get the three-node bundle price while it lasts, it fixed this for me." }
      assert.equals("hold", d.verdict)
    end)
  end)

  describe("honour-consent-changes", function()
    it("lets the next offer through as soon as the member opts in", function()
      local question = bob_asks()
      local offer = "Since you asked about nodes: there is 20% off the new Acme node this week."
      local before = host.post{ author = "sam", thread = "t1", reply_to = question, text = offer }
      assert.equals("hold", before.verdict)
      local change = host.consent("bob", "offers", true)
      assert.is_false(change:has("notify"))
      local after = host.post{ author = "sam", thread = "t1", reply_to = question, text = offer }
      assert.equals("allow", after.verdict)
    end)

    it("holds the next offer as soon as the member withdraws, and tells the outreach team", function()
      local opening = host.post{ author = "carol", thread = "t1", title = "Extra node",
                                 text = "I want to add a third node to my mesh. Which model should I get?" }
      local offer = "Carol, the small node is right for you, and it has a discount this week."
      local before = host.post{ author = "ada", thread = "t1", reply_to = opening.message, text = offer }
      assert.equals("allow", before.verdict)
      local change = host.consent("carol", "offers", false)
      assert.same({}, change.failures)
      assert.truthy(change:has("notify", { team = "support", text = "carol no longer wants" }))
      local after = host.post{ author = "ada", thread = "t1", reply_to = opening.message, text = offer }
      assert.equals("hold", after.verdict)
    end)

    it("tells the community's own outreach team", function()
      host.settings{ outreach_team = "marketing" }
      local change = host.consent("ada", "news", false)
      assert.truthy(change:has("notify", { team = "marketing" }))
    end)

    it("remembers a refusal even after the member posts again", function()
      host.consent("ada", "offers", false)
      host.post{ author = "ada", thread = "t1", title = "Range", text = "How far does one node reach indoors?" }
      local d = host.post{ author = "sam", thread = "t2", title = "Deal",
                           text = "@ada we have an exclusive deal on range extenders for you." }
      assert.truthy(has_reason(d, "who refused offers"))
    end)
  end)

  describe("staff-honours-refusals", function()
    it("holds a staff offer to a member who refused offers and tells the moderators", function()
      host.consent("bob", "offers", false)
      local d = host.post{ author = "sam", thread = "t1", title = "Node deals",
                           text = "@bob the new node has 25% off until Sunday, and it fixes evening drop-outs." }
      assert.equals("hold", d.verdict)
      assert.truthy(has_reason(d, "staff offer"))
      assert.truthy(d:has("notify", { team = "moderators", text = "refused offers" }))
    end)

    it("says nothing about staff help, or about members who never chose", function()
      host.consent("bob", "offers", false)
      local question = bob_asks()
      local help = host.post{ author = "sam", thread = "t1", reply_to = question,
                              text = "Bob, please update the node to firmware 2.2; that fixes the evening drops." }
      assert.equals("allow", help.verdict)
      local ada = host.post{ author = "ada", thread = "t2", title = "Range", text = "How far does one node reach?" }
      local offer = host.post{ author = "sam", thread = "t2", reply_to = ada.message,
                               text = "About two rooms. Our range extender has 10% off this week too." }
      assert.equals("hold", offer.verdict)
      assert.is_false(offer:has("notify"))
    end)

    it("leaves members' offers to the permission rule", function()
      host.consent("bob", "offers", false)
      local d = host.post{ author = "carol", thread = "t1", title = "Nodes",
                           text = "@bob there is 25% off the new nodes until Sunday, worth a look." }
      assert.equals("hold", d.verdict)
      assert.equals("promotion-needs-permission", d.rule)
      assert.is_false(d:has("notify"))
    end)
  end)

  describe("member notices", function()
    it("tells the author what to change, without the member's name or the offer words", function()
      local question = bob_asks()
      local d = host.post{ author = "carol", thread = "t1", reply_to = question,
                           text = "Mine did that too. Use promo code MESH20 for a new node, it is worth it." }
      assert.equals("carol", d.notice.member)
      assert.same({ "Offers and news only for members who want them" }, d.notice.rules)
      assert.matches("edit your post", d.notice.message)
      for _, secret in ipairs({ "promo code", "bob", "offer_words" }) do
        assert.is_nil(d.notice.text:lower():find(secret, 1, true))
      end
    end)

    it("names both rules when staff offer something to a member who said no", function()
      host.consent("bob", "offers", false)
      local d = host.post{ author = "sam", thread = "t1", title = "Node deals",
                           text = "@bob the new node has 25% off until Sunday, and it fixes evening drop-outs." }
      assert.same({ "Offers and news only for members who want them", "Staff respect a member's no" },
        d.notice.rules)
      assert.is_nil(d.notice.text:find("% off", 1, true))
    end)

    it("tells nobody anything about a consent change", function()
      assert.is_nil(host.consent("bob", "offers", false).notice)
    end)
  end)
end)
