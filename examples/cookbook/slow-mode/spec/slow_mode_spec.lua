-- Specs for the slow-mode recipe: parley test examples/cookbook/slow-mode

-- Ada's first post in the heated thread.
local COMPLAINT = "Four euros a month for backups I used to get free is a lot."

describe("slow-mode", function()
  before_each(function()
    host.member{ id = "ada", name = "Ada", trust = 3 }
    host.member{ id = "bob", name = "Bob", trust = 2 }
    host.member{ id = "sam", name = "Sam", role = "staff", affiliation = "Acme", trust = 4 }
    host.thread{ id = "pricing", title = "The new subscription pricing", opener = "sam", tags = { "slow-mode" },
                 messages = { { author = "sam", text = "From March, cloud backup costs 4 EUR a month. Ask away." } } }
  end)

  it("removes a second post within five minutes and says when to post again", function()
    assert.equals("allow", host.post{ author = "ada", thread = "pricing", text = COMPLAINT }.verdict)
    host.advance(2)
    local d = host.post{ author = "ada", thread = "pricing",
                         text = "And honestly, nobody asked us before this was decided!" }
    assert.equals("remove", d.verdict)
    assert.equals("slow-mode", d.rule)
    assert.matches("one post every 5 minutes", d.reasons[1])
    assert.matches("post it again in 3 minutes$", d.reasons[1])
  end)

  it("lets the member post again once the wait is over", function()
    host.post{ author = "ada", thread = "pricing", text = COMPLAINT }
    host.advance(4)
    local early = host.post{ author = "ada", thread = "pricing", text = "Is there a yearly plan at least?" }
    assert.matches("in 1 minute$", early.reasons[1])
    host.advance(1)
    assert.equals("allow", host.post{ author = "ada", thread = "pricing",
                                      text = "Is there a yearly plan at least?" }.verdict)
  end)

  it("counts each member separately, and leaves staff free to answer", function()
    host.post{ author = "ada", thread = "pricing", text = COMPLAINT }
    assert.equals("allow", host.post{ author = "bob", thread = "pricing",
                                      text = "Agreed, but the old backups were capped at 1 GB." }.verdict)
    host.post{ author = "sam", thread = "pricing", text = "Fair point, Ada. Existing members keep 1 GB free." }
    assert.equals("allow", host.post{ author = "sam", thread = "pricing",
                                      text = "And yes, there is a yearly plan at 40 EUR." }.verdict)
  end)

  it("applies only in threads with the slow-mode tag", function()
    host.post{ author = "ada", thread = "wifi", title = "Wi-Fi drops", text = "My Wi-Fi drops every night at 2am." }
    assert.equals("allow", host.post{ author = "ada", thread = "wifi",
                                      text = "Forgot to say: it's the 5 GHz band only." }.verdict)
  end)

  it("follows the community's settings", function()
    host.settings{ minutes_between_posts = 10, thread_tag = "" }
    host.post{ author = "ada", thread = "wifi", title = "Wi-Fi drops", text = "My Wi-Fi drops every night at 2am." }
    host.advance(6)
    local d = host.post{ author = "ada", thread = "wifi", text = "Forgot to say: it's the 5 GHz band only." }
    assert.equals("remove", d.verdict)
    assert.matches("one post every 10 minutes", d.reasons[1])
    host.settings{ exempt_roles = { "moderator" } }
    host.post{ author = "sam", thread = "pricing", text = "Existing members keep 1 GB of backup free." }
    assert.equals("remove", host.post{ author = "sam", thread = "pricing",
                                       text = "And there is a yearly plan at 40 EUR." }.verdict)
  end)

  it("tells the member when to post again, without the setting's name", function()
    host.post{ author = "ada", thread = "pricing", text = COMPLAINT }
    host.advance(2)
    local d = host.post{ author = "ada", thread = "pricing",
                         text = "And honestly, nobody asked us before this was decided!" }
    assert.same({ "Slow mode" }, d.notice.rules)
    assert.matches("post it again in 3 minutes%.$", d.notice.message)
    assert.is_nil(d.notice.text:find("minutes_between_posts", 1, true))
  end)
end)
