-- Specs for the unanswered-escalation recipe: parley test examples/cookbook/unanswered-escalation

--- Ada opens a thread with a question and returns the decision.
---@return ParleyDecision
local function ask()
  return host.post{ author = "ada", thread = "dfs", title = "Mesh node stuck on DFS channel",
                    text = "My satellite node keeps choosing channel 120 and then goes silent for a minute. "
                      .. "How do I stop it from using DFS channels?" }
end

describe("unanswered-escalation", function()
  before_each(function()
    host.member{ id = "ada", name = "Ada", trust = 3 }
    host.member{ id = "carol", name = "Carol", trust = 3 }
    host.member{ id = "sam", name = "Sam", role = "staff", affiliation = "Acme", trust = 4 }
  end)

  it("starts the answer clock when a member asks a question", function()
    local clock = ask():effect("schedule")
    assert.equals("unanswered", clock.name)
    assert.equals(240, clock.after_minutes)
    assert.equals("start-answer-clock", clock.rule)
    assert.same({ thread = "dfs", title = "Mesh node stuck on DFS channel", asker = "Ada", stage = 1 }, clock.data)
  end)

  it("tells support after four hours, then the owner twenty hours later", function()
    ask()
    assert.same({}, host.advance(239))
    local first = host.advance(1)
    assert.equals(1, #first)
    local note = first[1]:effect("notify")
    assert.equals("support", note.team)
    assert.equals("escalate-unanswered", note.rule)
    assert.equals("Nobody has answered Ada's question \"Mesh node stuck on DFS channel\" (thread dfs) in 240 minutes.",
      note.text)
    assert.truthy(first[1]:has("schedule", { after_minutes = 1200 }))

    local second = host.advance(1200)
    assert.equals(1, #second)
    local escalation = second[1]:effect("notify")
    assert.equals("owner", escalation.team)
    assert.matches("^Still unanswered after 1440 minutes, and support was told", escalation.text)
    assert.is_false(second[1]:has("schedule"))
  end)

  it("stays quiet once someone has answered", function()
    local question = ask()
    host.post{ author = "carol", thread = "dfs", reply_to = question.message,
               text = "In the app, go to Wi-Fi > Advanced and untick \"Use DFS channels\"." }
    local due = host.advance(240)
    assert.equals(1, #due)
    assert.same({}, due[1].effects)
  end)

  it("does not escalate further when the answer comes after the first reminder", function()
    ask()
    host.advance(240)
    host.post{ author = "sam", thread = "dfs", text = "Hi Ada, firmware 2.2 adds a switch for DFS under Advanced." }
    local due = host.advance(1200)
    assert.same({}, due[1].effects)
  end)

  it("does not count the asker's own follow-up as an answer", function()
    ask()
    host.post{ author = "ada", thread = "dfs", text = "Update: it happens on the main node as well now." }
    assert.truthy(host.advance(240)[1]:has("notify", { team = "support" }))
  end)

  it("ignores statements and staff announcements", function()
    local statement = host.post{ author = "ada", thread = "tip", title = "Tip",
                                 text = "Channel 36 works much better than 120 in my flat." }
    assert.same({}, statement.effects)
    local staff = host.post{ author = "sam", thread = "poll", title = "Which feature next?",
                             text = "Tell us which feature we should build next." }
    assert.same({}, staff.effects)
  end)

  it("follows the community's times and teams", function()
    host.settings{ first_minutes = 30, first_team = "community-helpers", second_minutes = 60, second_team = "support" }
    ask()
    assert.truthy(host.advance(30)[1]:has("notify", { team = "community-helpers" }))
    assert.truthy(host.advance(60)[1]:has("notify", { team = "support", text = "after 90 minutes" }))
  end)
end)
