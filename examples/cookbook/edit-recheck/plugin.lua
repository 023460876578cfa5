-- edit-recheck: a cookbook recipe (docs/cookbook.md). Copy this folder into your
-- plugins folder and tune the settings in your community's configuration.
return {
  name = "edit-recheck",
  version = "1.0.0",
  description = "Sends a post back to review when it is changed after a moderator approved it",
  events = { "review_resolved", "message_edited" },
  failure = "open",
  settings = {
    changed_share = {
      type = "number",
      default = 0.3,
      description = "The share of an edit's words that must be new for it to count as a rewrite (0.3 = 30%)",
    },
    exempt_roles = {
      type = "list",
      default = { "moderator", "owner" },
      description = "Roles whose edits are never sent back to review",
    },
  },
  rules = { "recheck.lua" },
}
