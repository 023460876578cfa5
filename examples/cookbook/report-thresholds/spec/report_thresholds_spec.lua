-- Specs for the report-thresholds recipe: parley test examples/cookbook/report-thresholds

--- Files one report per member, in order, and returns the last decision.
---@param message string
---@param reporters string[]
---@param reason string
---@return ParleyDecision
local function reported_by(message, reporters, reason)
  local last
  for _, reporter in ipairs(reporters) do
    last = host.report{ message = message, reporter = reporter, reason = reason }
  end
  return last
end

describe("report-thresholds", function()
  local advert

  before_each(function()
    for _, id in ipairs({ "ada", "carol", "dan", "eve", "finn", "gus" }) do
      host.member{ id = id, name = id:gsub("^%l", string.upper), trust = 2 }
    end
    host.member{ id = "bob", name = "Bob", trust = 1 }
    host.member{ id = "mia", name = "Mia", role = "moderator", trust = 4 }
    host.post{ author = "ada", thread = "speed", title = "Slow speeds after update",
               text = "Since firmware 2.1 my download speed dropped from 300 to 40 Mbps. Anyone else?" }
    advert = host.post{ author = "bob", thread = "speed",
                        text = "Forget routers, I made $4,000 this week with an AI trading bot. Ask me how!" }.message
  end)

  it("tells the moderators about a report without hiding the message", function()
    local d = host.report{ message = advert, reporter = "ada", reason = "spam, not about routers" }
    assert.equals("allow", d.verdict)
    assert.is_nil(d.rule)
    local note = d:effect("notify")
    assert.equals("moderators", note.team)
    assert.equals("report-thresholds", note.rule)
    assert.matches("ada reported Bob's message", note.text)
    assert.matches("%(1 reporter so far%): spam, not about routers", note.text)
  end)

  it("hides the message once three different members reported it", function()
    assert.equals("allow", reported_by(advert, { "ada", "carol" }, "spam").verdict)
    local third = host.report{ message = advert, reporter = "dan", reason = "get-rich-quick advert" }
    assert.equals("hold", third.verdict)
    assert.equals("report-thresholds", third.rule)
    assert.matches("reported by 3 members", third.reasons[1])
    assert.truthy(third:has("notify", { text = "(3 reporters so far)" }))
  end)

  it("removes the message at five reporters", function()
    assert.equals("hold", reported_by(advert, { "ada", "carol", "dan", "eve" }, "spam").verdict)
    local fifth = host.report{ message = advert, reporter = "finn", reason = "scam" }
    assert.equals("remove", fifth.verdict)
    assert.equals("report-thresholds", fifth.rule)
    assert.matches("reported by 5 members, so it was taken down", fifth.reasons[1])
  end)

  it("counts a member who reports the same message again once", function()
    host.report{ message = advert, reporter = "ada", reason = "spam" }
    host.report{ message = advert, reporter = "carol", reason = "spam" }
    local again = reported_by(advert, { "ada", "ada", "carol" }, "still spam!!")
    assert.equals("allow", again.verdict)
    assert.is_false(again:has("notify"))
  end)

  it("ignores a member reporting their own message", function()
    local d = host.report{ message = advert, reporter = "bob", reason = "test" }
    assert.same({}, d.effects)
    assert.equals("allow", d.verdict)
  end)

  it("starts counting again after a moderator approved the message", function()
    assert.equals("hold", reported_by(advert, { "ada", "carol", "dan" }, "spam").verdict)
    local approved = host.review{ message = advert, outcome = "approved", moderator = "mia" }
    local note = approved:effect("notify")
    assert.equals("approval-clears-reports", note.rule)
    assert.matches("mia approved message " .. advert .. " after 3 reports", note.text)
    -- the earlier reporters count once, so a new reporter makes one, not four
    assert.equals("allow", reported_by(advert, { "ada", "eve" }, "spam").verdict)
    assert.equals("allow", host.report{ message = advert, reporter = "finn", reason = "spam" }.verdict)
    assert.equals("hold", host.report{ message = advert, reporter = "gus", reason = "spam" }.verdict)
  end)

  it("leaves rejections and messages nobody reported alone", function()
    reported_by(advert, { "ada", "carol", "dan" }, "spam")
    assert.same({}, host.review{ message = advert, outcome = "rejected", moderator = "mia" }.effects)
    local other = host.post{ author = "carol", thread = "speed", text = "Same here, 2.0 was fine for me." }
    assert.same({}, host.review{ message = other.message, outcome = "approved", moderator = "mia" }.effects)
  end)

  it("follows the community's thresholds and team", function()
    host.settings{ hold_after = 1, remove_after = 2, moderators_team = "trust-and-safety" }
    local first = host.report{ message = advert, reporter = "ada", reason = "spam" }
    assert.equals("hold", first.verdict)
    assert.truthy(first:has("notify", { team = "trust-and-safety" }))
    assert.equals("remove", host.report{ message = advert, reporter = "carol", reason = "spam" }.verdict)
  end)

  it("tells the author, not the reporters, what happens next, without how many reported it", function()
    local held = reported_by(advert, { "ada", "carol", "dan" }, "spam")
    assert.equals("bob", held.notice.member)
    assert.same({ "Reported posts are reviewed" }, held.notice.rules)
    assert.matches("Several members reported this post", held.notice.message)
    local removed = reported_by(advert, { "eve", "finn" }, "scam")
    assert.matches("can put it back", removed.notice.message)
    for _, secret in ipairs({ "ada", "finn", "5", "remove_after" }) do
      assert.is_nil(removed.notice.text:find(secret, 1, true))
    end
  end)
end)
