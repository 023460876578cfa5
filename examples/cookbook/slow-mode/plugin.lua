-- slow-mode: a cookbook recipe (docs/cookbook.md). Copy this folder into your
-- plugins folder and tune the settings in your community's configuration.
return {
  name = "slow-mode",
  version = "1.0.0",
  description = "Lets each member post once every few minutes in heated or busy threads",
  events = { "message_posted" },
  failure = "open",
  settings = {
    minutes_between_posts = {
      type = "integer",
      default = 5,
      description = "Minutes a member must wait between two posts in the same slow-mode thread",
    },
    thread_tag = {
      type = "string",
      default = "slow-mode",
      description = "Slow mode applies in threads with this tag; an empty text applies it in every thread",
    },
    exempt_roles = {
      type = "list",
      default = { "staff", "moderator", "owner" },
      description = "Roles slow mode never applies to",
    },
  },
  rules = { "slow-mode.lua" },
}
