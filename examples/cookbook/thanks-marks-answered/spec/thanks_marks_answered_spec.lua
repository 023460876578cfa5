-- Specs for the thanks-marks-answered recipe: parley test examples/cookbook/thanks-marks-answered

describe("thanks-marks-answered", function()
  local question, answer

  before_each(function()
    host.member{ id = "ada", name = "Ada", trust = 3 }
    host.member{ id = "carol", name = "Carol", trust = 3 }
    host.member{ id = "bob", name = "Bob", trust = 2 }
    question = host.post{ author = "ada", thread = "dfs", title = "Mesh node stuck on DFS channel",
                          text = "My satellite node keeps choosing channel 120 and goes silent. How do I stop it?",
                        }.message
    answer = host.post{ author = "carol", thread = "dfs", reply_to = question,
                        text = "In the app, go to Wi-Fi > Advanced and untick \"Use DFS channels\"." }.message
  end)

  it("marks the thread answered and rewards the member whose reply worked", function()
    local d = host.post{ author = "ada", thread = "dfs", reply_to = answer,
                         text = "Thanks Carol, unticking it did the trick. Solved!" }
    local answered = d:effect("tag")
    assert.equals("answered", answered.name)
    assert.equals("thanks-marks-answered", answered.rule)
    local points = d:effect("score")
    assert.equals("carol", points.member)
    assert.equals(10, points.points)
    assert.equals("their reply solved Ada's question in \"Mesh node stuck on DFS channel\"", points.reason)
    assert.equals("allow", d.verdict)
  end)

  cases({
    { name = "thanks, but", text = "Thanks, but the node still jumps to 120 after a reboot." },
    { name = "didn't help", text = "That didn\u{2019}t help, thank you anyway." },
    { name = "no luck", text = "No luck here, thx though." },
  }, "does nothing when the asker says it is not solved: %s", function(case)
    local d = host.post{ author = "ada", thread = "dfs", reply_to = answer, text = case.text }
    assert.same({}, d.effects)
  end)

  it("marks a thread answered once", function()
    host.post{ author = "ada", thread = "dfs", reply_to = answer, text = "That worked, thank you so much!" }
    local again = host.post{ author = "ada", thread = "dfs", reply_to = answer,
                             text = "Confirmed a day later: it works now, thanks again!" }
    assert.same({}, again.effects)
  end)

  it("needs the asker, replying to someone else's message", function()
    local other = host.post{ author = "bob", thread = "dfs", reply_to = answer,
                             text = "Thanks Carol, that fixed mine too!" }
    assert.same({}, other.effects)
    local unaddressed = host.post{ author = "ada", thread = "dfs", text = "Thanks everyone, it works now." }
    assert.same({}, unaddressed.effects)
    local own = host.post{ author = "ada", thread = "dfs", reply_to = question, text = "Solved it myself, thanks." }
    assert.same({}, own.effects)
  end)

  it("follows the community's words and points", function()
    host.settings{ thanks_words = { "merci", "danke" }, points = 25 }
    local english = host.post{ author = "ada", thread = "dfs", reply_to = answer, text = "Thanks, that worked!" }
    assert.same({}, english.effects)
    local d = host.post{ author = "ada", thread = "dfs", reply_to = answer,
                         text = "Merci Carol, ça marche maintenant !" }
    assert.equals(25, d:effect("score").points)
  end)
end)
