-- Specs for the self-promotion recipe: parley test examples/cookbook/self-promotion

-- Posts by Bea, who runs a bakery blog, each with a link to it.
local BLOG_POSTS = {
  "My sourdough starter survived the router reboot, ha. Recipe here: https://bakerybea.example/sourdough",
  "The Wi-Fi thermometer for my oven was a good buy: https://bakerybea.example/thermometer-review",
  "I wrote up how I put the mesh node in the bakery: https://www.bakerybea.example/mesh",
  "New post on proofing bread with a smart plug: https://bakerybea.example/proofing",
}

describe("self-promotion", function()
  before_each(function()
    host.member{ id = "bea", name = "Bea", trust = 2, history = { posts = 30, replies_to_others = 20 } }
    host.member{ id = "nick", name = "Nick", trust = 0, age_days = 1 }
    host.member{ id = "sam", name = "Sam", role = "staff", affiliation = "Acme", trust = 4 }
  end)

  it("allows links to the member's own site in one post in ten, then holds the next", function()
    for i = 1, 3 do -- 31, 32 and 33 posts allow 3 links to the same site
      local d = host.post{ author = "bea", thread = "kitchen-" .. i, title = "Kitchen gadgets", text = BLOG_POSTS[i] }
      assert.equals("allow", d.verdict)
    end
    local fourth = host.post{ author = "bea", thread = "kitchen-4", title = "Kitchen gadgets", text = BLOG_POSTS[4] }
    assert.equals("hold", fourth.verdict)
    assert.equals("self-promotion-ratio", fourth.rule)
    assert.matches("^bakerybea%.example would be linked in 4 of your 34 posts", fourth.reasons[1])
    assert.matches("at most 1 post in 10", fourth.reasons[1])
  end)

  it("holds a brand-new member's first post when it links to a site", function()
    local d = host.post{ author = "nick", thread = "t1", title = "Great deal",
                         text = "Best router prices online right now: https://routerdeals.example/ax58" }
    assert.equals("hold", d.verdict)
    assert.matches("in 1 of your 1 posts", d.reasons[1])
  end)

  it("never counts the community's own and reference sites", function()
    local d = host.post{ author = "nick", thread = "t1", title = "Manual",
                         text = "Page 12 of https://docs.acme.example/ax58/manual.pdf explains the LED colours, "
                           .. "see also https://en.wikipedia.org/wiki/Mesh_networking" }
    assert.equals("allow", d.verdict)
    assert.is_nil(d.rule)
  end)

  it("does not count held posts, and counts each site separately", function()
    for i = 1, 3 do
      host.post{ author = "bea", thread = "kitchen-" .. i, title = "Kitchen gadgets", text = BLOG_POSTS[i] }
    end
    assert.equals("hold", host.post{ author = "bea", thread = "k4", title = "More", text = BLOG_POSTS[4] }.verdict)
    local again = host.post{ author = "bea", thread = "k5", title = "More", text = BLOG_POSTS[4] }
    assert.matches("in 4 of your 35 posts", again.reasons[1])
    local other = host.post{ author = "bea", thread = "k6", title = "Review",
                             text = "This review matches my experience: https://routerreviews.example/ax58" }
    assert.equals("allow", other.verdict)
  end)

  it("leaves exempt roles alone and follows the community's share", function()
    assert.equals("allow", host.post{ author = "sam", thread = "t1", title = "Webinar",
                                      text = "Join our mesh webinar on Thursday: https://events.example/mesh" }.verdict)
    host.settings{ max_share = 0.5, ignored_domains = { "acme.example" } }
    local d = host.post{ author = "nick", thread = "t2", title = "Wiki",
                         text = "The wiki explains it well: https://en.wikipedia.org/wiki/Mesh_networking" }
    assert.equals("hold", d.verdict)
    assert.matches("at most 1 post in 2 ", d.reasons[1])
  end)

  it("tells the member to join conversations, without the site or the share", function()
    local d = host.post{ author = "nick", thread = "t1", title = "Great deal",
                         text = "Best router prices online right now: https://routerdeals.example/ax58" }
    assert.same({ "More conversation than self-promotion" }, d.notice.rules)
    assert.matches("Join other conversations", d.notice.message)
    assert.is_nil(d.notice.text:find("routerdeals", 1, true))
    assert.is_nil(d.notice.text:find("max_share", 1, true))
  end)
end)
