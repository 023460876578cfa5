-- cross-posting: a cookbook recipe (docs/cookbook.md). Copy this folder into your
-- plugins folder and tune the settings in your community's configuration.
return {
  name = "cross-posting",
  version = "1.0.0",
  description = "Holds the same text posted by one member in several threads",
  events = { "message_posted" },
  failure = "open",
  settings = {
    window_minutes = {
      type = "integer",
      default = 1440,
      description = "Minutes a member's text is remembered, counted from when it was first posted",
    },
    min_letters = {
      type = "integer",
      default = 30,
      description = "Letters a text needs before a copy counts, so short replies like \"Thanks!\" never do",
    },
    exempt_roles = {
      type = "list",
      default = { "moderator", "owner" },
      description = "Roles that may post the same text in several threads",
    },
  },
  rules = { "cross-posts.lua" },
}
