-- dialogue-score: measure dialogue, not impressions. Points go to two-way exchange
-- (replies between people, questions answered and how fast, members helping members),
-- never to broadcasts, and the community team gets the week's totals every week.
-- Rules are in the two files below; settings are explained in README.md.
return {
  name = "dialogue-score",
  version = "1.0.0",
  description = "Scores replies between people, answered questions and members helping members; sums it up weekly",
  events = { "message_posted", "member_joined", "timer_due" },
  failure = "open",
  settings = {
    reply_points = {
      type = "integer",
      default = 2,
      description = "Points for replying to another person's message",
    },
    start_points = {
      type = "integer",
      default = 1,
      description = "Points for starting a thread, only for members who also reply to others",
    },
    answer_points = {
      type = "integer",
      default = 5,
      description = "Points for the first answer to someone else's question",
    },
    fast_answer_points = {
      type = "integer",
      default = 5,
      description = "Extra points when that answer came within fast_answer_minutes",
    },
    fast_answer_minutes = {
      type = "integer",
      default = 60,
      description = "How quickly an answer must come to earn the extra points",
    },
    helper_points = {
      type = "integer",
      default = 5,
      description = "Extra points when a member (not staff) answers another member's question",
    },
    summary_team = {
      type = "string",
      default = "community-team",
      description = "The team that receives the weekly summary of dialogue",
    },
  },
  rules = { "exchange.lua", "summary.lua" },
}
