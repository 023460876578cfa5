-- Specs for the low-effort-replies recipe: parley test examples/cookbook/low-effort-replies

describe("low-effort-replies", function()
  before_each(function()
    host.member{ id = "ada", name = "Ada", trust = 3 }
    host.member{ id = "bob", name = "Bob", trust = 2 }
    host.member{ id = "sam", name = "Sam", role = "staff", affiliation = "Acme", trust = 4 }
    host.post{ author = "ada", thread = "night", title = "Why does my Wi-Fi drop every night at 2am?",
               text = "Every night around 2am the 5 GHz network disappears for ten minutes. Firmware 2.1." }
  end)

  cases({
    { name = "+1", text = "+1" },
    { name = "same here", text = "Same here!!" },
    { name = "bump", text = "bump" },
    { name = "any update?", text = "Any update on this?" },
  }, "removes \"%s\" in a question thread", function(case)
    local d = host.post{ author = "bob", thread = "night", text = case.text }
    assert.equals("remove", d.verdict)
    assert.equals("low-effort-replies", d.rule)
    assert.matches("^too short to help answer the question", d.reasons[1])
  end)

  it("keeps a short reply that adds something", function()
    local d = host.post{ author = "bob", thread = "night", text = "Same here, mine drops at 2am too: AX58, 2.1." }
    assert.equals("allow", d.verdict)
    assert.is_nil(d.rule)
  end)

  it("lets the asker and staff reply briefly", function()
    assert.equals("allow", host.post{ author = "ada", thread = "night", text = "Still happening." }.verdict)
    assert.equals("allow", host.post{ author = "sam", thread = "night", text = "Looking into it!" }.verdict)
  end)

  it("leaves threads that are not questions alone", function()
    host.post{ author = "ada", thread = "photos", title = "Show us your network cupboard",
               text = "Here's mine after tidying the cables this weekend." }
    assert.equals("allow", host.post{ author = "bob", thread = "photos", text = "So tidy!" }.verdict)
  end)

  it("treats threads with the question tag as question threads", function()
    host.thread{ id = "vpn", title = "VPN setup with WireGuard", opener = "ada", tags = { "question" },
                 messages = { { author = "ada", text = "Has anyone set up WireGuard on the AX58 yet" } } }
    assert.equals("remove", host.post{ author = "bob", thread = "vpn", text = "following" }.verdict)
  end)

  it("follows the community's settings", function()
    host.settings{ min_letters = 5, question_tag = "help", exempt_roles = { "moderator" } }
    assert.equals("allow", host.post{ author = "bob", thread = "night", text = "Same here!!" }.verdict)
    assert.equals("remove", host.post{ author = "sam", thread = "night", text = "On it" }.verdict)
  end)

  it("says in the notice what helps instead, without the letter count", function()
    local d = host.post{ author = "bob", thread = "night", text = "+1" }
    assert.same({ "Replies that help answer" }, d.notice.rules)
    assert.matches("subscribe to it instead of replying", d.notice.message)
    assert.is_nil(d.notice.text:find("min_letters", 1, true))
  end)
end)
