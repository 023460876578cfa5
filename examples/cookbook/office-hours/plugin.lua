-- office-hours: a cookbook recipe (docs/cookbook.md). Copy this folder into your
-- plugins folder and tune the settings in your community's configuration.
return {
  name = "office-hours",
  version = "1.0.0",
  description = "Tells members who open a thread outside support hours when the team will be back",
  events = { "message_posted" },
  failure = "open",
  settings = {
    opens = {
      type = "string",
      default = "09:00",
      description = "When support opens on a working day, as HH:MM in the team's time zone",
    },
    closes = {
      type = "string",
      default = "17:30",
      description = "When support closes on a working day, as HH:MM in the team's time zone",
    },
    working_days = {
      type = "list",
      default = { "mon", "tue", "wed", "thu", "fri" },
      description = "The days support works: mon, tue, wed, thu, fri, sat, sun",
    },
    utc_offset_minutes = {
      type = "integer",
      default = 0,
      description = "The team's time zone as minutes from UTC: 60 for Paris in winter, -300 for New York",
    },
    message = {
      type = "string",
      default = "Thanks for your post, {name}. Our support team is away right now: we answer {days} from "
        .. "{opens} to {closes}, and a person will reply when we are back. Other members may answer sooner!",
      description = "The automated reply; {name}, {days}, {opens} and {closes} are filled in",
    },
  },
  rules = { "office-hours.lua" },
}
