-- Specs for the edit-recheck recipe: parley test examples/cookbook/edit-recheck

-- Nick's first post, which a moderator approved.
local FIRST_POST = "Hi all! I'm Nick from Lyon. I just set up an AX58 mesh and I'm here to learn how to tune it."

describe("edit-recheck", function()
  local post

  before_each(function()
    host.member{ id = "nick", name = "Nick", trust = 0, age_days = 1 }
    host.member{ id = "mia", name = "Mia", role = "moderator", trust = 4 }
    post = host.post{ author = "nick", thread = "hello", title = "Hello from Lyon", text = FIRST_POST }.message
    host.review{ message = post, outcome = "approved", moderator = "mia" }
  end)

  it("lets a member fix a typo in an approved post", function()
    local d = host.edit{ message = post, text = FIRST_POST:gsub("tune it", "tune it properly") }
    assert.equals("allow", d.verdict)
    assert.is_nil(d.rule)
  end)

  it("holds an approved post that gets a link", function()
    local d = host.edit{ message = post, text = FIRST_POST .. " My setup notes: https://nicks-deals.example/mesh" }
    assert.equals("hold", d.verdict)
    assert.equals("recheck-approved-edits", d.rule)
    assert.matches("^a link was added after a moderator approved this post", d.reasons[1])
  end)

  it("holds an approved post that was rewritten", function()
    local d = host.edit{ message = post,
                         text = "Earn 500 EUR a week from home with our crypto trading signals, message me today!" }
    assert.equals("hold", d.verdict)
    assert.matches("^this post was rewritten after a moderator approved it", d.reasons[1])
  end)

  it("leaves posts nobody approved, rejected posts and moderators' edits alone", function()
    local other = host.post{ author = "nick", thread = "hello", text = "Does anyone use the guest network feature?" }
    assert.equals("allow", host.edit{ message = other.message,
                                      text = "Does anyone use guest Wi-Fi? See https://acme.example/guest" }.verdict)
    host.review{ message = other.message, outcome = "rejected", moderator = "mia" }
    assert.equals("allow", host.edit{ message = other.message, text = "Totally different text now, sorry." }.verdict)
    local note = host.post{ author = "mia", thread = "hello", text = "Welcome Nick! The mesh guide is pinned." }
    host.review{ message = note.message, outcome = "approved", moderator = "mia" }
    assert.equals("allow", host.edit{ message = note.message,
                                      text = "Welcome Nick! The guide: https://acme.example/mesh-guide" }.verdict)
  end)

  it("follows the community's rewrite share", function()
    host.settings{ changed_share = 0.03 } -- one new word in 25 is a rewrite now
    local d = host.edit{ message = post, text = FIRST_POST:gsub("tune it", "tune it properly") }
    assert.equals("hold", d.verdict)
    assert.matches("rewritten", d.reasons[1])
  end)

  it("tells the member that small fixes go up at once, without the rewrite share", function()
    local d = host.edit{ message = post, text = FIRST_POST .. " My setup notes: https://nicks-deals.example/mesh" }
    assert.same({ "Changed posts are checked again" }, d.notice.rules)
    assert.matches("Small fixes, like typos, go up at once", d.notice.message)
    assert.is_nil(d.notice.text:find("changed_share", 1, true))
  end)
end)
