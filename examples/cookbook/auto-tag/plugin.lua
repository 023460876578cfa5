-- auto-tag: a cookbook recipe (docs/cookbook.md). Copy this folder into your
-- plugins folder and tune the settings in your community's configuration.
return {
  name = "auto-tag",
  version = "1.0.0",
  description = "Tags new threads by the words in their title and opening post, and routes some tags to a team",
  events = { "message_posted" },
  failure = "open",
  settings = {
    topics = {
      type = "list",
      default = { "billing=invoice|refund|charged|payment|subscription", "wifi=wi-fi|wifi|wireless|5 ghz|2.4 ghz",
                  "setup=install|setup|set up|pairing", "app=app|ios|android" },
      description = "Topics as \"tag=word|word\": a new thread that uses one of the words gets the tag",
    },
    teams = {
      type = "list",
      default = { "billing=billing" },
      description = "Tags that send the thread to a team, as \"tag=team\"",
    },
  },
  rules = { "auto-tag.lua" },
}
