-- thanks-marks-answered: a cookbook recipe (docs/cookbook.md). Copy this folder into your
-- plugins folder and tune the settings in your community's configuration.
return {
  name = "thanks-marks-answered",
  version = "1.0.0",
  description = "Marks a thread answered when the asker thanks someone for a reply that worked, and rewards the helper",
  events = { "message_posted" },
  failure = "open",
  settings = {
    thanks_words = {
      type = "list",
      default = { "thanks", "thank you", "thx", "that fixed it", "that worked", "solved", "works now" },
      description = "Words and phrases that say a reply helped",
    },
    not_solved_words = {
      type = "list",
      default = { "but", "still", "didn't", "did not", "doesn't", "does not", "no luck" },
      description = "Words and phrases that say the problem is not solved after all (\"thanks, but ...\")",
    },
    points = {
      type = "integer",
      default = 10,
      description = "Engagement points for the member whose reply solved the question",
    },
  },
  rules = { "thanks.lua" },
}
