-- low-effort-replies: a cookbook recipe (docs/cookbook.md). Copy this folder into your
-- plugins folder and tune the settings in your community's configuration.
return {
  name = "low-effort-replies",
  version = "1.0.0",
  description = "Removes \"+1\", \"same here\" and other replies too short to help answer a question",
  events = { "message_posted" },
  failure = "open",
  settings = {
    min_letters = {
      type = "integer",
      default = 20,
      description = "Letters a reply in a question thread needs to count as an answer",
    },
    question_tag = {
      type = "string",
      default = "question",
      description = "Threads with this tag, or whose title ends with \"?\", are question threads",
    },
    exempt_roles = {
      type = "list",
      default = { "staff", "moderator", "owner" },
      description = "Roles whose short replies are never removed",
    },
  },
  rules = { "low-effort.lua" },
}
