-- Specs for the dialogue-score plugin. Run them with:
--   parley test plugins/dialogue-score
-- Every `it` starts with a fresh community (the members below) and a manual clock.

-- A week, in minutes.
local WEEK = 7 * 24 * 60

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

--- The points each rule gave in a decision, as { [rule] = points }.
---@param decision ParleyDecision
---@return table<string, integer>
local function points_by_rule(decision)
  local points = {}
  for _, effect in ipairs(effects_of(decision, "score")) do
    points[effect.rule] = (points[effect.rule] or 0) + effect.points
  end
  return points
end

--- Ada opens thread t1 with a question; returns the decision.
---@return ParleyDecision
local function ada_asks()
  return host.post{ author = "ada", thread = "t1", title = "Sourdough too dense",
                    text = "My sourdough comes out dense every time. What am I doing wrong with the proof?" }
end

describe("dialogue-score", function()
  before_each(function()
    host.member{ id = "ada", name = "Ada", role = "member", trust = 2, history = { posts = 12, replies_to_others = 5 } }
    host.member{ id = "bob", name = "Bob", role = "member", trust = 2, history = { posts = 8, replies_to_others = 4 } }
    host.member{ id = "cleo", name = "Cleo", role = "member", trust = 1,
                 history = { posts = 30, replies_to_others = 0 } }
    host.member{ id = "sam", name = "Sam", role = "staff", affiliation = "FlourCo", trust = 4 }
  end)

  describe("reply-points", function()
    it("gives points to a member who replies to another person", function()
      local post = host.post{ author = "ada", thread = "t1", title = "Rye starter",
                              text = "I switched my starter to rye flour and it doubled in four hours." }
      local d = host.post{ author = "bob", thread = "t1", reply_to = post.message,
                           text = "That is fast. Do you keep it somewhere warm, or is rye just that lively?" }
      local points = effects_of(d, "score")
      assert.equals(1, #points)
      assert.equals(2, points[1].points)
      assert.equals("bob", points[1].member)
      assert.equals("reply-points", points[1].rule)
    end)

    it("gives nothing for replying to yourself, or to staff replies", function()
      local post = host.post{ author = "ada", thread = "t1", title = "Rye starter",
                              text = "I switched my starter to rye flour and it doubled in four hours." }
      local own = host.post{ author = "ada", thread = "t1", reply_to = post.message,
                             text = "Update: it has now been stable for a full week of feeding." }
      assert.is_false(own:has("score"))
      local staff = host.post{ author = "sam", thread = "t1", reply_to = post.message,
                               text = "Lovely to hear, Ada. Our dark rye is milled for exactly that." }
      assert.is_false(staff:has("score"))
    end)
  end)

  describe("start-points", function()
    it("gives a point for starting a thread to a member who also replies to others", function()
      local d = host.post{ author = "bob", thread = "t2", title = "Oven spring",
                           text = "Baking in a lidded pot gave me far better oven spring than a tray." }
      assert.same({ ["start-points"] = 1 }, points_by_rule(d))
    end)

    it("gives nothing to broadcasts, until the account replies to someone", function()
      local broadcast = host.post{ author = "cleo", thread = "t2", title = "New recipe on my blog",
                                   text = "My new focaccia recipe is up on the blog, go and read it today." }
      assert.is_false(broadcast:has("score"))
      local post = host.post{ author = "ada", thread = "t3", title = "Focaccia",
                              text = "Dimpling the focaccia twice made the crumb much more open for me." }
      local reply = host.post{ author = "cleo", thread = "t3", reply_to = post.message,
                               text = "Good tip, Ada. I will try dimpling twice on Sunday and report back." }
      assert.same({ ["reply-points"] = 2 }, points_by_rule(reply))
      local next_post = host.post{ author = "cleo", thread = "t4", title = "Sunday bake",
                                   text = "The double dimpling worked: the crumb is far more open now." }
      assert.same({ ["start-points"] = 1 }, points_by_rule(next_post))
    end)
  end)

  describe("answer-points", function()
    it("counts a staff answer as the first answer, without points", function()
      local q = ada_asks()
      host.advance(20)
      local d = host.post{ author = "sam", thread = "t1", reply_to = q.message,
                           text = "Hi Ada, try a longer bulk proof at room temperature, until it grows by half." }
      assert.is_false(d:has("score")) -- staff answer without points
      host.member{ id = "dan", name = "Dan", role = "member", trust = 2, history = { replies_to_others = 1 } }
      local later = host.post{ author = "dan", thread = "t1", reply_to = q.message,
                               text = "Agreed with Sam; a longer bulk proof fixed mine as well." }
      assert.is_nil(points_by_rule(later)["answer-points"]) -- only the first answer counts
    end)

    it("scores a member's fast answer higher than a slow one", function()
      local q = ada_asks()
      host.advance(45)
      local fast = host.post{ author = "bob", thread = "t1", reply_to = q.message,
                             text = "Your starter may be weak: feed it twice a day for a few days before baking." }
      local score = effects_of(fast, "score")
      assert.equals(10, points_by_rule(fast)["answer-points"])
      assert.truthy(fast:has("score", { reason = "answered a question within 60 minutes" }))
      assert.equals("bob", score[1].member)

      local slow_q = host.post{ author = "ada", thread = "t2", title = "Scoring",
                                text = "Which blade angle do you use when scoring a batard?" }
      host.advance(90)
      local slow = host.post{ author = "bob", thread = "t2", reply_to = slow_q.message,
                              text = "I hold the lame at about thirty degrees and cut quickly." }
      assert.equals(5, points_by_rule(slow)["answer-points"])
    end)

    it("gives no answer points to the asker, and follows fast_answer_minutes", function()
      host.settings{ fast_answer_minutes = 10, answer_points = 4, fast_answer_points = 6 }
      local q = ada_asks()
      local own = host.post{ author = "ada", thread = "t1", reply_to = q.message,
                             text = "I should add that I use about seventy percent water in the dough." }
      assert.is_nil(points_by_rule(own)["answer-points"])
      host.advance(15)
      local d = host.post{ author = "bob", thread = "t1", reply_to = q.message,
                           text = "At seventy percent, give it a longer bulk proof before shaping." }
      assert.equals(4, points_by_rule(d)["answer-points"])
    end)
  end)

  describe("members-helping-members", function()
    it("gives extra points when a member answers another member's question", function()
      local q = ada_asks()
      local d = host.post{ author = "bob", thread = "t1", reply_to = q.message,
                           text = "Mine was dense until I let the dough rise in a warmer spot." }
      assert.same({ ["members-helping-members"] = 5, ["answer-points"] = 10, ["reply-points"] = 2 },
                  points_by_rule(d))
    end)

    it("gives nothing extra for answering staff, or for a question already answered", function()
      local poll = host.post{ author = "sam", thread = "t2", title = "Flour poll",
                              text = "Which flour should we stock next month, spelt or einkorn?" }
      local d = host.post{ author = "bob", thread = "t2", reply_to = poll.message,
                           text = "Spelt, please; I would bake with it every weekend." }
      assert.is_nil(points_by_rule(d)["members-helping-members"])
      assert.equals(10, points_by_rule(d)["answer-points"])

      local q = ada_asks()
      host.post{ author = "bob", thread = "t1", reply_to = q.message, text = "Give the dough a warmer spot to rise." }
      local again = host.post{ author = "cleo", thread = "t1", reply_to = q.message,
                               text = "A warmer spot worked for me as well, give it a go." }
      assert.is_nil(points_by_rule(again)["members-helping-members"])
    end)
  end)

  describe("start-weekly-summary", function()
    it("starts the weekly timer on the first event, and only once", function()
      local first = ada_asks()
      local timer = first:effect("schedule", { name = "weekly-summary" })
      assert.equals("start-weekly-summary", timer.rule)
      assert.equals(WEEK, timer.after_minutes)
      assert.equals(1, timer.data.week)
      local second = host.post{ author = "bob", thread = "t2", title = "Hello",
                                text = "Hello all, I have been baking bread for two years now." }
      assert.is_false(second:has("schedule"))
    end)

    it("starts it when a member joins first", function()
      host.member{ id = "eve", name = "Eve", role = "member", trust = 0 }
      assert.truthy(host.join("eve"):has("schedule", { name = "weekly-summary" }))
    end)
  end)

  describe("weekly-summary", function()
    it("tells the community team the week's totals and starts the next week", function()
      local q = ada_asks()
      host.advance(20)
      host.post{ author = "bob", thread = "t1", reply_to = q.message,
                 text = "A longer bulk proof in a warm spot fixed the same problem for me." }
      host.post{ author = "cleo", thread = "t2", title = "Blog", text = "Read my new bagel recipe on the blog today." }

      local due = host.advance(WEEK - 20)
      assert.equals(1, #due)
      assert.same({}, due[1].failures)
      local note = due[1]:effect("notify")
      assert.equals("community-team", note.team)
      assert.equals("weekly-summary", note.rule)
      assert.equals("Week 1 in dialogue: 1 reply between people; 1 question answered (1 within 60 minutes, "
        .. "20 minutes on average); 1 answer by members helping members; 1 thread started by members who also "
        .. "reply; 1 post by accounts that never reply (no points).", note.text)
      local next_week = due[1]:effect("schedule")
      assert.equals("weekly-summary", next_week.name)
      assert.equals(2, next_week.data.week)

      local week_two = host.advance(WEEK)
      assert.equals(1, #week_two)
      assert.truthy(week_two[1]:has("notify", { text = "Week 2 in dialogue: 0 replies between people; "
        .. "no questions answered; 0 answers" }))
    end)

    it("follows the summary_team setting", function()
      host.settings{ summary_team = "insights" }
      ada_asks()
      assert.truthy(host.advance(WEEK)[1]:has("notify", { team = "insights" }))
    end)
  end)

  describe("member notices", function()
    it("sends no notice for points or broadcasts: scoring never acts on a post", function()
      local q = ada_asks()
      assert.is_nil(q.notice)
      local answer = host.post{ author = "bob", thread = "t1", reply_to = q.message,
                                text = "A longer bulk proof in a warm spot fixed the same problem for me." }
      assert.truthy(answer:has("score"))
      assert.equals("allow", answer.verdict)
      assert.is_nil(answer.notice)
      local broadcast = host.post{ author = "cleo", thread = "t2", title = "Blog",
                                   text = "Read my new bagel recipe on the blog today." }
      assert.is_nil(broadcast.notice)
      assert.is_nil(host.advance(WEEK)[1].notice)
    end)
  end)
end)
