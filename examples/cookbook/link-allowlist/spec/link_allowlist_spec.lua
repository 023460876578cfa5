-- Specs for the link-allowlist recipe: parley test examples/cookbook/link-allowlist

describe("link-allowlist", function()
  before_each(function()
    host.member{ id = "bob", name = "Bob", trust = 1 }
    host.member{ id = "ada", name = "Ada", trust = 3 }
    host.member{ id = "sam", name = "Sam", role = "staff", affiliation = "Acme", trust = 1 }
    host.member{ id = "mia", name = "Mia", role = "moderator", trust = 2 }
  end)

  it("lets members link to allowed sites and their subdomains", function()
    local d = host.post{ author = "bob", thread = "mesh", title = "Mesh setup",
                         text = "The setup steps are at https://docs.acme.example/mesh/setup and the bug is "
                           .. "tracked at https://github.com/acme/firmware/issues/12." }
    assert.equals("allow", d.verdict)
    assert.is_nil(d.rule)
  end)

  it("holds a link to a site that is not on the list, and names the site", function()
    local d = host.post{ author = "bob", thread = "deals", title = "Cheaper routers",
                         text = "You can get the same router for half the price at www.Cheap-Routers.example/ax58" }
    assert.equals("hold", d.verdict)
    assert.equals("allowed-link-domains", d.rule)
    assert.matches("links to cheap%-routers%.example,", d.reasons[1])
  end)

  cases({
    { name = "an allowed name used as a subdomain", site = "acme.example.cheap-routers.example",
      text = "Official store: https://acme.example.cheap-routers.example/deal" },
    { name = "an allowed name before an @", site = "cheap-routers.example",
      text = "Log in here: https://acme.example@cheap-routers.example/login" },
    { name = "an allowed name in the path", site = "cheap-routers.example",
      text = "Faster mirror: https://cheap-routers.example/acme.example/fw22.bin" },
    { name = "a look-alike name", site = "acme-example.com",
      text = "Firmware 2.2 downloads faster from https://acme-example.com/fw22" },
  }, "is not fooled by %s", function(case)
    local d = host.post{ author = "bob", thread = "tricks", title = "Firmware", text = case.text }
    assert.equals("hold", d.verdict)
    assert.equals(case.site, d.reasons[1]:match("^links to (%S+),"))
  end)

  it("exempts the roles in exempt_roles and members at exempt_trust", function()
    local text = "Compare it with https://www.routerreviews.example/ax58 before you decide."
    assert.equals("allow", host.post{ author = "sam", thread = "t1", title = "Reviews", text = text }.verdict)
    assert.equals("allow", host.post{ author = "mia", thread = "t2", title = "Reviews", text = text }.verdict)
    assert.equals("allow", host.post{ author = "ada", thread = "t3", title = "Reviews", text = text }.verdict)
    assert.equals("hold", host.post{ author = "bob", thread = "t4", title = "Reviews", text = text }.verdict)
  end)

  it("follows the community's list of sites, exempt roles and trust level", function()
    host.settings{ allowed_domains = { "routerreviews.example" }, exempt_roles = { "moderator" },
                   exempt_trust = 4 }
    local text = "Compare https://routerreviews.example/ax58 with https://docs.acme.example/ax58"
    assert.equals("allow", host.post{ author = "mia", thread = "t1", title = "Reviews", text = text }.verdict)
    local staff = host.post{ author = "sam", thread = "t2", title = "Reviews", text = text }
    assert.equals("hold", staff.verdict)
    assert.matches("links to docs%.acme%.example,", staff.reasons[1])
    assert.equals("hold", host.post{ author = "ada", thread = "t3", title = "Reviews", text = text }.verdict)
  end)

  it("checks links added by editing", function()
    local d = host.post{ author = "bob", thread = "fw", title = "Firmware", text = "Firmware 2.2 fixed my drops." }
    local edited = host.edit{ message = d.message,
                              text = "Firmware 2.2 fixed my drops: get it at https://fw-mirror.example" }
    assert.equals("hold", edited.verdict)
    assert.equals("allowed-link-domains", edited.rule)
  end)

  it("tells the member a moderator checks the link, without the list of allowed sites", function()
    local d = host.post{ author = "bob", thread = "deals", title = "Cheaper routers",
                         text = "You can get the same router for half the price at www.Cheap-Routers.example/ax58" }
    assert.same({ "Links to sites the community knows" }, d.notice.rules)
    assert.matches("add it for everyone", d.notice.message)
    for _, secret in ipairs({ "allowed_domains", "acme.example", "github.com", "exempt_trust" }) do
      assert.is_nil(d.notice.text:find(secret, 1, true))
    end
  end)
end)
