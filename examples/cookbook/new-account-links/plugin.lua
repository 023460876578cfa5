-- new-account-links: a cookbook recipe (docs/cookbook.md). Copy this folder into your
-- plugins folder and tune the settings in your community's configuration.
return {
  name = "new-account-links",
  version = "1.0.0",
  description = "Holds posts with too many links from members who are new or not yet trusted",
  events = { "message_posted", "message_edited" },
  failure = "open",
  settings = {
    new_days = {
      type = "integer",
      default = 7,
      description = "Members who joined fewer days ago than this count as new",
    },
    trust_below = {
      type = "integer",
      default = 2,
      description = "Members with a trust level (0-4) below this count as new, however long ago they joined",
    },
    max_links = {
      type = "integer",
      default = 1,
      description = "How many links a post by a new member may hold; a post with more is held for a moderator",
    },
    exempt_roles = {
      type = "list",
      default = { "staff", "moderator", "owner" },
      description = "Roles the limit never applies to",
    },
  },
  rules = { "links.lua" },
}
