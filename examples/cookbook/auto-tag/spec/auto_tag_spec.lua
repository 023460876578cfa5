-- Specs for the auto-tag recipe: parley test examples/cookbook/auto-tag

--- Every effect of one kind in a decision, in order.
---@param decision ParleyDecision
---@param kind string
---@return ParleyEffectRecord[]
local function effects_of(decision, kind)
  local found = {}
  for _, effect in ipairs(decision.effects) do
    if effect.kind == kind then found[#found + 1] = effect end
  end
  return found
end

--- The names of the tags a decision gives, in order.
---@param decision ParleyDecision
---@return string[]
local function tags_of(decision)
  local names = {}
  for i, effect in ipairs(effects_of(decision, "tag")) do names[i] = effect.name end
  return names
end

describe("auto-tag", function()
  before_each(function()
    host.member{ id = "ada", name = "Ada", trust = 3 }
    host.member{ id = "bob", name = "Bob", trust = 2 }
  end)

  it("tags a billing question and sends it to the billing team", function()
    local d = host.post{ author = "ada", thread = "t1", title = "Charged twice this month",
                         text = "My card was charged twice for the cloud backup subscription in March." }
    assert.same({ "billing" }, tags_of(d))
    local route = d:effect("route")
    assert.equals("billing", route.team)
    assert.equals("auto-tag", route.rule)
    assert.equals("the thread is about billing (\"charged\")", route.reason)
    assert.equals("allow", d.verdict)
  end)

  it("tags by words in the title or the text, with punctuation around them", function()
    local d = host.post{ author = "bob", thread = "t1", title = "Drops on 5 GHz",
                         text = "Since Tuesday my Wi-Fi. drops every evening; the cable is fine." }
    assert.same({ "wifi" }, tags_of(d))
    assert.is_false(d:has("route"))
  end)

  it("gives every matching tag, and routes to the first tag's team only", function()
    host.settings{ teams = { "billing=billing", "app=mobile" } }
    local d = host.post{ author = "ada", thread = "t1", title = "Refund please",
                         text = "The mesh app never finished pairing, so I want a refund for the kit." }
    assert.same({ "billing", "setup", "app" }, tags_of(d))
    local routes = effects_of(d, "route")
    assert.equals(1, #routes)
    assert.equals("billing", routes[1].team)
  end)

  it("matches whole words only", function()
    local d = host.post{ author = "bob", thread = "t1", title = "Beta program",
                         text = "I sent my application for the beta programme; the happy path worked." }
    assert.same({}, d.effects)
  end)

  it("tags only a thread's opening post", function()
    host.post{ author = "ada", thread = "t1", title = "Photos", text = "Show us your network cabinets!" }
    local reply = host.post{ author = "bob", thread = "t1", text = "Here's mine, the Wi-Fi node sits on top." }
    assert.same({}, reply.effects)
  end)

  it("uses the community's topics and teams", function()
    host.settings{ topics = { "outage=outage|down for everyone", "broken entry" }, teams = { "outage=noc" } }
    local d = host.post{ author = "ada", thread = "t1", title = "Down for everyone?",
                         text = "Cloud dashboard shows an outage banner and nothing loads." }
    assert.same({ "outage" }, tags_of(d))
    assert.truthy(d:has("route", { team = "noc" }))
  end)
end)
