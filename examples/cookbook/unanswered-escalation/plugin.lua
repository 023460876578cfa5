-- unanswered-escalation: a cookbook recipe (docs/cookbook.md). Copy this folder into your
-- plugins folder and tune the settings in your community's configuration.
return {
  name = "unanswered-escalation",
  version = "1.0.0",
  description = "Tells the support team about unanswered questions, then escalates if still nobody answers",
  events = { "message_posted", "timer_due" },
  failure = "open",
  settings = {
    first_minutes = {
      type = "integer",
      default = 240,
      description = "Minutes a question may wait for a first answer before first_team is told",
    },
    first_team = {
      type = "string",
      default = "support",
      description = "The team told first",
    },
    second_minutes = {
      type = "integer",
      default = 1200,
      description = "Further minutes, after first_team was told, before second_team is told",
    },
    second_team = {
      type = "string",
      default = "owner",
      description = "The team told when the question is still unanswered",
    },
  },
  rules = { "escalation.lua" },
}
