-- Specs for the cross-posting recipe: parley test examples/cookbook/cross-posting

-- Bob's question, pasted into several threads.
local QUESTION = "My AX58 loses its WAN connection every night around 2am. Has anyone found a fix?"

--- Posts a message (opening the thread on first use) and returns the verdict.
---@param author string
---@param thread string
---@param text string
---@return string
local function verdict_of(author, thread, text)
  return host.post{ author = author, thread = thread, title = "About " .. thread, text = text }.verdict
end

describe("cross-posting", function()
  before_each(function()
    host.member{ id = "bob", name = "Bob", trust = 2 }
    host.member{ id = "ada", name = "Ada", trust = 3 }
    host.member{ id = "mia", name = "Mia", role = "moderator", trust = 4 }
    host.post{ author = "bob", thread = "wan-drops", title = "WAN drops at night", text = QUESTION }
  end)

  it("holds the same question pasted into another thread, and names the first thread", function()
    local d = host.post{ author = "bob", thread = "firmware-2-2", title = "Firmware 2.2 feedback", text = QUESTION }
    assert.equals("hold", d.verdict)
    assert.equals("cross-posts", d.rule)
    assert.matches("already posted this text in thread wan%-drops:", d.reasons[1])
  end)

  it("sees the copy through changed capitals, numbers and punctuation", function()
    local d = host.post{ author = "bob", thread = "general", title = "Help",
                         text = "my ax58 loses its WAN connection every night around 3am - has anyone found a fix??" }
    assert.equals("hold", d.verdict)
  end)

  it("allows different texts, short replies, and repeats in the same thread", function()
    assert.equals("allow", host.post{ author = "bob", thread = "firmware-2-2", title = "Firmware 2.2",
                                      text = "Did 2.2 change anything about the nightly WAN reconnect?" }.verdict)
    assert.equals("allow", verdict_of("bob", "t1", "Thanks, that worked!"))
    assert.equals("allow", verdict_of("bob", "t2", "Thanks, that worked!"))
    assert.equals("allow", host.post{ author = "bob", thread = "wan-drops", text = QUESTION }.verdict)
  end)

  it("counts each member's texts separately", function()
    local d = host.post{ author = "ada", thread = "general", title = "Same here", text = QUESTION }
    assert.equals("allow", d.verdict)
  end)

  it("forgets a text after the window, and follows the community's settings", function()
    host.advance(24 * 60)
    assert.equals("allow", verdict_of("bob", "weekly", QUESTION))
    host.settings{ min_letters = 10, exempt_roles = { "owner" } }
    local note = "Reminder: please keep one thread per problem so answers stay together."
    host.post{ author = "mia", thread = "rules", title = "Forum rules", text = note }
    assert.equals("hold", host.post{ author = "mia", thread = "general", title = "Rules", text = note }.verdict)
    host.post{ author = "ada", thread = "t3", title = "Ok", text = "Thanks, that worked!" }
    assert.equals("hold", verdict_of("ada", "t4", "Thanks, that worked!"))
  end)

  it("lets exempt roles post the same notice in several threads", function()
    local note = "Reminder: please keep one thread per problem so answers stay together."
    host.post{ author = "mia", thread = "rules", title = "Forum rules", text = note }
    assert.equals("allow", host.post{ author = "mia", thread = "general", title = "Rules", text = note }.verdict)
  end)

  it("tells the member why the copy waits, without the other thread's id or the window", function()
    local d = host.post{ author = "bob", thread = "firmware-2-2", title = "Firmware 2.2 feedback", text = QUESTION }
    assert.equals("bob", d.notice.member)
    assert.same({ "One question, one thread" }, d.notice.rules)
    assert.matches("already posted this in another thread", d.notice.message)
    assert.is_nil(d.notice.text:find("wan-drops", 1, true))
    assert.is_nil(d.notice.text:find("window_minutes", 1, true))
  end)
end)
