-- mention-limit: a cookbook recipe (docs/cookbook.md). Copy this folder into your
-- plugins folder and tune the settings in your community's configuration.
return {
  name = "mention-limit",
  version = "1.0.0",
  description = "Holds posts that @mention too many members, and mutes members who keep doing it",
  events = { "message_posted", "message_edited" },
  failure = "open",
  settings = {
    max_mentions = {
      type = "integer",
      default = 5,
      description = "How many different members one post may @mention",
    },
    mute_after = {
      type = "integer",
      default = 3,
      description = "At this many held posts within mute_window_minutes the member is also muted",
    },
    mute_window_minutes = {
      type = "integer",
      default = 1440,
      description = "The window, from a member's first held post, in which held posts are counted",
    },
    mute_minutes = {
      type = "integer",
      default = 60,
      description = "How long a member who keeps mass-mentioning is muted",
    },
    exempt_roles = {
      type = "list",
      default = { "moderator", "owner" },
      description = "Roles that may mention any number of members",
    },
  },
  rules = { "mentions.lua" },
}
