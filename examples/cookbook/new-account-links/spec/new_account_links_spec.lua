-- Specs for the new-account-links recipe: parley test examples/cookbook/new-account-links

describe("new-account-links", function()
  before_each(function()
    host.member{ id = "nina", name = "Nina", trust = 1, age_days = 2 }
    host.member{ id = "otto", name = "Otto", trust = 0, age_days = 400 }
    host.member{ id = "ada", name = "Ada", trust = 3, age_days = 365 }
    host.member{ id = "sam", name = "Sam", role = "staff", affiliation = "Acme", trust = 1, age_days = 1 }
  end)

  it("holds a post with two links from a member who joined two days ago", function()
    local d = host.post{ author = "nina", thread = "deals", title = "Router deals",
                         text = "Found two great deals: https://cheap-routers.example/ax58 and "
                           .. "www.routerbargains.example" }
    assert.equals("hold", d.verdict)
    assert.equals("new-account-links", d.rule)
    assert.matches("^2 links in one post", d.reasons[1])
    assert.matches("may post 1 per post", d.reasons[1])
  end)

  it("lets a new member share one link", function()
    local d = host.post{ author = "nina", thread = "mesh", title = "Mesh placement",
                         text = "This placement guide fixed my dead spots: https://meshguide.example.org/placement" }
    assert.equals("allow", d.verdict)
    assert.is_nil(d.rule)
  end)

  it("holds an old account that has no trust yet", function()
    local d = host.post{ author = "otto", thread = "vpn", title = "VPN",
                         text = "Compare https://vpn-one.example and https://vpn-two.example before you buy." }
    assert.equals("hold", d.verdict)
    assert.equals("new-account-links", d.rule)
  end)

  it("leaves established, trusted members alone", function()
    local d = host.post{ author = "ada", thread = "docs", title = "Docs",
                         text = "Manual: https://acme.example/manual, release notes: https://acme.example/notes, "
                           .. "forum FAQ: www.acme.example/faq" }
    assert.equals("allow", d.verdict)
  end)

  it("never applies to exempt roles, even on a brand-new staff account", function()
    local d = host.post{ author = "sam", thread = "notes", title = "Firmware 2.2",
                         text = "Firmware 2.2 is out: https://acme.example/fw22 and notes at https://acme.example/n22" }
    assert.equals("allow", d.verdict)
  end)

  it("holds links added by editing a post", function()
    local d = host.post{ author = "nina", thread = "hello", title = "Hello",
                         text = "Hi all, new here and loving my router." }
    assert.equals("allow", d.verdict)
    local edited = host.edit{ message = d.message,
                              text = "Hi all! Get yours at https://cheap-routers.example or https://deals.example" }
    assert.equals("hold", edited.verdict)
    assert.equals("new-account-links", edited.rule)
  end)

  it("follows the community's settings", function()
    host.settings{ max_links = 2, new_days = 1 }
    local d = host.post{ author = "nina", thread = "deals", title = "Two guides",
                         text = "Two guides: https://meshguide.example.org/a and https://meshguide.example.org/b" }
    assert.equals("allow", d.verdict)
    host.settings{ exempt_roles = { "moderator" } }
    local staff = host.post{ author = "sam", thread = "notes", title = "Notes",
                             text = "Notes: https://acme.example/a and https://acme.example/b" }
    assert.equals("hold", staff.verdict)
  end)

  it("tells a new member why their links wait, without the limits or the trust level", function()
    local d = host.post{ author = "nina", thread = "deals", title = "Router deals",
                         text = "Found two great deals: https://cheap-routers.example/ax58 and "
                           .. "www.routerbargains.example" }
    assert.equals("nina", d.notice.member)
    assert.same({ "Few links from new members" }, d.notice.rules)
    for _, secret in ipairs({ "max_links", "trust level", "1 per post", "7 days" }) do
      assert.is_nil(d.notice.text:find(secret, 1, true))
    end
  end)
end)
