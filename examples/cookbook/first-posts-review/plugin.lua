-- first-posts-review: a cookbook recipe (docs/cookbook.md). Copy this folder into your
-- plugins folder and tune the settings in your community's configuration.
return {
  name = "first-posts-review",
  version = "1.0.0",
  description = "Holds newcomers' posts for a moderator until enough of them were approved",
  events = { "message_posted", "review_resolved" },
  failure = "open",
  settings = {
    approvals_needed = {
      type = "integer",
      default = 2,
      description = "How many of a newcomer's posts a moderator must approve before their posts appear at once",
    },
    trusted_from = {
      type = "integer",
      default = 2,
      description = "Members at or above this trust level (0-4) are never held by this rule",
    },
  },
  rules = { "first-posts.lua" },
}
