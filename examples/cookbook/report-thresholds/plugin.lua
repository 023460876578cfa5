-- report-thresholds: a cookbook recipe (docs/cookbook.md). Copy this folder into your
-- plugins folder and tune the settings in your community's configuration.
return {
  name = "report-thresholds",
  version = "1.0.0",
  description = "Tells moderators about reports, holds a message after several reporters and removes it after more",
  events = { "report_filed", "review_resolved" },
  failure = "open",
  settings = {
    hold_after = {
      type = "integer",
      default = 3,
      description = "How many different members must report a message before it is hidden for a moderator",
    },
    remove_after = {
      type = "integer",
      default = 5,
      description = "How many different members must report a message before it is removed",
    },
    moderators_team = {
      type = "string",
      default = "moderators",
      description = "The team told about every report",
    },
    remember_days = {
      type = "integer",
      default = 7,
      description = "Days the reports on a message are remembered",
    },
  },
  rules = { "reports.lua" },
}
