-- Specs for the keyword-removal recipe: parley test examples/cookbook/keyword-removal

describe("keyword-removal", function()
  before_each(function()
    host.member{ id = "ada", name = "Ada", trust = 3 }
    host.member{ id = "vic", name = "Vic", trust = 0, age_days = 1 }
    host.member{ id = "sam", name = "Sam", role = "staff", affiliation = "Acme", trust = 4 }
    host.post{ author = "ada", thread = "wallet", title = "Lost access to my wallet app",
               text = "I reset my phone and now the wallet app asks for a recovery phrase I never wrote down." }
  end)

  it("removes a recovery-scam reply and says which phrase", function()
    local d = host.post{ author = "vic", thread = "wallet",
                         text = "Don't worry! Our recovery expert can get your coins back in 24 hours, "
                           .. "message me on WhatsApp." }
    assert.equals("remove", d.verdict)
    assert.equals("remove-keywords", d.rule)
    assert.matches("\"recovery expert\"", d.reasons[1])
  end)

  it("sees through capitals, punctuation and invisible characters", function()
    local d = host.post{ author = "vic", thread = "wallet",
                         text = "DOUBLE\u{200B} your BITCOIN!!! Send 0.1 BTC, get 0.2 back." }
    assert.equals("remove", d.verdict)
    assert.matches("\"double your bitcoin\"", d.reasons[1])
    local hyphen = host.post{ author = "vic", thread = "wallet", text = "Ask a Recovery-Expert, they helped me." }
    assert.equals("remove", hyphen.verdict)
  end)

  it("keeps a member's question about a scam up, flagged for a moderator", function()
    local d = host.post{ author = "ada", thread = "wallet",
                         text = "Someone calling himself a recovery expert just DMed me offering to unlock the "
                           .. "wallet for a fee. Is this a scam?" }
    assert.equals("flag", d.verdict)
    assert.equals("remove-keywords", d.rule)
    assert.matches("\"is this a scam\"", d.reasons[1])
  end)

  it("never lets an exception hide a post: a scammer who adds one is still flagged", function()
    local d = host.post{ author = "vic", thread = "wallet",
                         text = "Beware of fakes! I am the real recovery expert, DM me now." }
    assert.equals("flag", d.verdict)
  end)

  it("matches whole words only, with the community's own list", function()
    host.settings{ keywords = { "scam", "crack" }, exceptions = { "is this a scam", "is it a scam" } }
    local food = host.post{ author = "ada", thread = "meetup", title = "Meetup recap",
                            text = "The scampi at Saturday's meetup was great, and so was Dan's wisecrack about it!" }
    assert.equals("allow", food.verdict)
    assert.is_nil(food.rule)
    local accusation = host.post{ author = "ada", thread = "market", title = "Seller warning",
                                  text = "The seller of that used router runs a scam, don't buy from him." }
    assert.equals("remove", accusation.verdict)
    local question = host.post{ author = "ada", thread = "market",
                                text = "He wants payment in gift cards. Is this a scam?" }
    assert.equals("flag", question.verdict)
  end)

  it("removes a keyword added by editing", function()
    local d = host.post{ author = "vic", thread = "hello", title = "Hello", text = "Hi everyone, glad to be here." }
    assert.equals("allow", d.verdict)
    local edited = host.edit{ message = d.message, text = "Hi everyone! Join our crypto giveaway today." }
    assert.equals("remove", edited.verdict)
    assert.equals("remove-keywords", edited.rule)
  end)

  it("leaves exempt roles alone, so staff can warn members by name of the scam", function()
    local d = host.post{ author = "sam", thread = "wallet",
                         text = "Nobody at Acme works as a recovery expert or will ever DM you first." }
    assert.equals("allow", d.verdict)
    assert.is_nil(d.rule)
  end)

  it("tells the member what to do instead, without the phrase it found", function()
    local removed = host.post{ author = "vic", thread = "wallet",
                               text = "Don't worry! Our recovery expert can get your coins back in 24 hours, "
                                 .. "message me on WhatsApp." }
    assert.same({ "No scam phrases" }, removed.notice.rules)
    assert.matches("was removed", removed.notice.headline)
    assert.matches("report that message or ask the moderators", removed.notice.message)
    assert.is_nil(removed.notice.text:find("recovery expert", 1, true))
    local asked = host.post{ author = "ada", thread = "wallet",
                             text = "Someone calling himself a recovery expert just DMed me offering to unlock the "
                               .. "wallet for a fee. Is this a scam?" }
    assert.matches("Thanks for asking or warning others", asked.notice.message)
    assert.is_nil(asked.notice.text:find("is this a scam", 1, true))
  end)
end)
