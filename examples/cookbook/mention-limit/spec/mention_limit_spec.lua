-- Specs for the mention-limit recipe: parley test examples/cookbook/mention-limit

-- A post that pings six members at once.
local CROWD = "@ada @carol @dan @eve @finn @gus my router keeps rebooting, can any of you help me today?"

describe("mention-limit", function()
  before_each(function()
    host.member{ id = "bob", name = "Bob", trust = 1 }
    host.member{ id = "mia", name = "Mia", role = "moderator", trust = 4 }
    host.member{ id = "sam", name = "Sam", role = "staff", affiliation = "Acme", trust = 4 }
  end)

  it("holds a post that mentions six members", function()
    local d = host.post{ author = "bob", thread = "t1", title = "Rebooting", text = CROWD }
    assert.equals("hold", d.verdict)
    assert.equals("mention-limit", d.rule)
    assert.matches("^mentions 6 members, and a post may mention at most 5", d.reasons[1])
    assert.is_false(d:has("mute"))
  end)

  it("allows five mentions, counts a member once, and ignores e-mail addresses", function()
    local d = host.post{ author = "bob", thread = "t1", title = "Thanks",
                         text = "Thanks @ada, @Carol, @dan, @eve and @finn! And @ADA, your tip worked. "
                           .. "Support can reach me at bob@example.com or bob.o@mail.example." }
    assert.equals("allow", d.verdict)
    assert.is_nil(d.rule)
  end)

  it("mutes a member at the third held post within a day, once", function()
    host.post{ author = "bob", thread = "t1", title = "Rebooting", text = CROWD }
    host.post{ author = "bob", thread = "t2", title = "Still rebooting", text = CROWD }
    local third = host.post{ author = "bob", thread = "t3", title = "Please help", text = CROWD }
    local muted = third:effect("mute")
    assert.equals("bob", muted.member)
    assert.equals(60, muted.minutes)
    assert.equals("mention-limit", muted.rule)
    assert.equals("3 posts mentioning too many members within 1440 minutes", muted.reason)
    local fourth = host.post{ author = "bob", thread = "t4", title = "Anyone?", text = CROWD }
    assert.equals("hold", fourth.verdict)
    assert.is_false(fourth:has("mute"))
  end)

  it("starts counting again after the window", function()
    host.post{ author = "bob", thread = "t1", title = "Rebooting", text = CROWD }
    host.post{ author = "bob", thread = "t2", title = "Still rebooting", text = CROWD }
    host.advance(24 * 60)
    assert.is_false(host.post{ author = "bob", thread = "t3", title = "Again", text = CROWD }:has("mute"))
  end)

  it("checks mentions added by editing", function()
    local d = host.post{ author = "bob", thread = "t1", title = "Rebooting", text = "My router keeps rebooting." }
    local edited = host.edit{ message = d.message, text = CROWD }
    assert.equals("hold", edited.verdict)
  end)

  it("leaves exempt roles alone and follows the community's settings", function()
    assert.equals("allow", host.post{ author = "mia", thread = "t1", title = "Thanks", text = CROWD }.verdict)
    host.settings{ max_mentions = 10, exempt_roles = { "owner" } }
    assert.equals("allow", host.post{ author = "bob", thread = "t2", title = "Rebooting", text = CROWD }.verdict)
    -- each host.settings call replaces the earlier overrides, so exempt_roles is given again
    host.settings{ max_mentions = 2, mute_after = 1, mute_minutes = 15, exempt_roles = { "owner" } }
    local d = host.post{ author = "mia", thread = "t3", title = "Event",
                         text = "@ada @carol @dan thanks for hosting the meetup!" }
    assert.equals("hold", d.verdict)
    assert.equals(15, d:effect("mute").minutes)
  end)

  it("tells the member whom to mention and how long a mute lasts, without the limit", function()
    local d = host.post{ author = "bob", thread = "t1", title = "Rebooting", text = CROWD }
    assert.same({ "Mention only who can help" }, d.notice.rules)
    assert.matches("mention only the people who can help", d.notice.message)
    assert.is_nil(d.notice.text:find("max_mentions", 1, true))
    assert.is_nil(d.notice.text:find("at most 5", 1, true))
    host.post{ author = "bob", thread = "t2", title = "Still rebooting", text = CROWD }
    local third = host.post{ author = "bob", thread = "t3", title = "Please help", text = CROWD }
    assert.matches("You are muted for 60 minutes", third.notice.headline)
  end)
end)
