-- keyword-removal: a cookbook recipe (docs/cookbook.md). Copy this folder into your
-- plugins folder and tune the settings in your community's configuration.
return {
  name = "keyword-removal",
  version = "1.0.0",
  description = "Removes posts with listed words or phrases, unless an exception shows a member asking or warning",
  events = { "message_posted", "message_edited" },
  failure = "closed", -- a broken filter holds posts for a moderator rather than letting scams through
  settings = {
    keywords = {
      type = "list",
      default = { "recovery expert", "recover your funds", "crypto giveaway", "double your bitcoin",
                  "guaranteed returns" },
      description = "Words and phrases that get a post removed; each matches whole words, in any case",
    },
    exceptions = {
      type = "list",
      default = { "is this a scam", "is it a scam", "is this legit", "is it legit", "beware", "watch out for" },
      description = "Phrases that show a member asking about or warning of a keyword: such posts stay up, flagged",
    },
    exempt_roles = {
      type = "list",
      default = { "staff", "moderator", "owner" },
      description = "Roles the filter never applies to",
    },
  },
  rules = { "keywords.lua" },
}
