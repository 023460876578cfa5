-- strikes: a ladder for repeated, human-confirmed rule breaks. A post a moderator
-- rejects in review gives its author a strike; each strike moves them one step up
-- the community's ladder (a warning, mutes, posts held for a moderator). Strikes
-- fade after a while and are taken back when an appeal against the decision succeeds.
-- Every rule is in strikes.lua; settings are explained in README.md.
return {
  name = "strikes",
  version = "1.0.0",
  description = "Repeated rule breaks confirmed by moderators add up to warnings, mutes and held posts, and fade",
  events = { "review_resolved", "appeal_resolved", "message_posted", "message_edited" },
  failure = "open",
  settings = {
    ladder = {
      type = "list",
      default = { "warn", "mute 60", "mute 1440", "hold" },
      description = "What each active strike brings, in order: \"warn\", \"mute N\" (minutes) or \"hold\"; "
        .. "strikes beyond the end repeat the last step",
    },
    decay_days = {
      type = "integer",
      default = 30,
      description = "Days after which a strike stops counting",
    },
  },
  rules = { "strikes.lua" },
}
