-- Specs for the first-posts-review recipe: parley test examples/cookbook/first-posts-review

describe("first-posts-review", function()
  before_each(function()
    host.member{ id = "nick", name = "Nick", trust = 0, age_days = 1 }
    host.member{ id = "ada", name = "Ada", trust = 3 }
    host.member{ id = "sam", name = "Sam", role = "staff", affiliation = "Acme", trust = 0, age_days = 1 }
    host.member{ id = "mia", name = "Mia", role = "moderator", trust = 4 }
  end)

  it("holds a newcomer's first post and says why", function()
    local d = host.post{ author = "nick", thread = "hello", title = "Hello from Lyon",
                         text = "Hi all, I just set up an AX58 mesh at home and I'm here to learn." }
    assert.equals("hold", d.verdict)
    assert.equals("first-posts-review", d.rule)
    assert.matches("%(0 of 2 approved so far%)", d.reasons[1])
  end)

  it("lets the newcomer post freely after two approved posts, and tells them", function()
    local first = host.post{ author = "nick", thread = "hello", title = "Hello from Lyon",
                             text = "Hi all, I just set up an AX58 mesh at home and I'm here to learn." }
    assert.same({}, host.review{ message = first.message, outcome = "approved", moderator = "mia" }.effects)
    local second = host.post{ author = "nick", thread = "hello",
                              text = "Quick follow-up: the satellite node works best one room away." }
    assert.equals("hold", second.verdict)
    assert.matches("%(1 of 2 approved so far%)", second.reasons[1])
    local approved = host.review{ message = second.message, outcome = "approved", moderator = "mia" }
    local note = approved:effect("contact")
    assert.equals("nick", note.member)
    assert.equals("support", note.purpose)
    assert.equals("count-first-approvals", note.rule)
    assert.matches("^Thanks for your first posts, Nick!", note.text)
    local third = host.post{ author = "nick", thread = "hello", text = "Has anyone tried the new mesh app?" }
    assert.equals("allow", third.verdict)
  end)

  it("does not count rejected posts", function()
    local spam = host.post{ author = "nick", thread = "deals", title = "Deals",
                            text = "Cheap designer watches shipped worldwide, DM me for prices." }
    host.review{ message = spam.message, outcome = "rejected", moderator = "mia" }
    local next_post = host.post{ author = "nick", thread = "hello", title = "Hello",
                                 text = "Sorry about the earlier post, I'm actually here for router help." }
    assert.equals("hold", next_post.verdict)
    assert.matches("%(0 of 2 approved so far%)", next_post.reasons[1])
  end)

  it("counts each post it held once, even when the post is approved again after an edit", function()
    local first = host.post{ author = "nick", thread = "hello", title = "Hello from Lyon",
                             text = "Hi all, I just set up an AX58 mesh at home and I'm here to learn." }
    host.review{ message = first.message, outcome = "approved", moderator = "mia" }
    host.edit{ message = first.message, text = "Hi all, I just set up an AX58 mesh in my flat in Lyon." }
    assert.same({}, host.review{ message = first.message, outcome = "approved", moderator = "mia" }.effects)
    local second = host.post{ author = "nick", thread = "hello", text = "Which channel width do you all use?" }
    assert.matches("%(1 of 2 approved so far%)", second.reasons[1])
  end)

  it("leaves trusted members and staff alone", function()
    assert.equals("allow", host.post{ author = "ada", thread = "t1", title = "Tip",
                                      text = "Channel 36 is much quieter than 44 in my building." }.verdict)
    assert.equals("allow", host.post{ author = "sam", thread = "t2", title = "Release",
                                      text = "Firmware 2.2 is rolling out to all mesh kits this week." }.verdict)
  end)

  it("follows the community's settings", function()
    host.settings{ approvals_needed = 1, trusted_from = 4 }
    local first = host.post{ author = "nick", thread = "hello", title = "Hello",
                             text = "Hello! Long-time lurker, first post." }
    assert.truthy(host.review{ message = first.message, outcome = "approved", moderator = "mia" }:has("contact"))
    assert.equals("allow", host.post{ author = "nick", thread = "hello", text = "Thanks for approving me!" }.verdict)
    assert.equals("hold", host.post{ author = "ada", thread = "t1", title = "Tip",
                                     text = "Channel 36 is much quieter than 44 in my building." }.verdict)
  end)

  it("welcomes the newcomer in the notice, without the number of approvals needed", function()
    local d = host.post{ author = "nick", thread = "hello", title = "Hello from Lyon",
                         text = "Hi all, I just set up an AX58 mesh at home and I'm here to learn." }
    assert.equals("nick", d.notice.member)
    assert.same({ "New members' first posts are read first" }, d.notice.rules)
    assert.matches("^Welcome!", d.notice.message)
    assert.is_nil(d.notice.text:find("0 of 2", 1, true))
    assert.is_nil(d.notice.text:find("approvals_needed", 1, true))
  end)
end)
