-- Specs for the welcome-message recipe: parley test examples/cookbook/welcome-message

describe("welcome-message", function()
  before_each(function()
    host.member{ id = "zoe", name = "Zoe Park", trust = 0, age_days = 0,
                 consents = { support = true, news = false, offers = false } }
    host.member{ id = "quinn", name = "Quinn", trust = 0, age_days = 0,
                 consents = { support = false, news = false, offers = false } }
    host.member{ id = "priya", name = "Priya", role = "staff", affiliation = "Acme", trust = 4, age_days = 0 }
  end)

  it("welcomes a new member privately, by name, as a support message", function()
    local d = host.join("zoe")
    local hello = d:effect("contact")
    assert.equals("zoe", hello.member)
    assert.equals("support", hello.purpose)
    assert.equals("welcome", hello.rule)
    assert.matches("^Welcome to Spec community, Zoe Park!", hello.text)
    assert.same({}, d.blocked)
  end)

  it("uses the community's greeting", function()
    host.settings{ greeting = "Hi {name}, glad you found {community}. Tell us which router you use!" }
    assert.equals("Hi Zoe Park, glad you found Spec community. Tell us which router you use!",
      host.join("zoe"):effect("contact").text)
  end)

  it("does not write to a member who did not accept support messages", function()
    local d = host.join("quinn")
    assert.same({}, d.effects)
    assert.same({}, d.blocked)
  end)

  it("sends the waiting welcome when that member accepts support messages", function()
    host.join("quinn")
    assert.same({}, host.consent("quinn", "news", true).effects)
    local d = host.consent("quinn", "support", true)
    local hello = d:effect("contact")
    assert.equals("quinn", hello.member)
    assert.equals("support", hello.purpose)
    assert.equals("welcome-after-consent", hello.rule)
    assert.matches("Quinn!", hello.text)
    assert.same({}, d.blocked)
    -- accepting again later sends nothing more
    host.consent("quinn", "support", false)
    assert.same({}, host.consent("quinn", "support", true).effects)
  end)

  it("lets a waiting welcome lapse after wait_days", function()
    host.settings{ wait_days = 2 }
    host.join("quinn")
    host.advance(3 * 24 * 60)
    assert.same({}, host.consent("quinn", "support", true).effects)
  end)

  it("welcomes a member once, even if they join again", function()
    assert.truthy(host.join("zoe"):has("contact"))
    assert.is_false(host.join("zoe"):has("contact"))
  end)

  it("leaves staff accounts alone", function()
    assert.same({}, host.join("priya").effects)
  end)
end)
