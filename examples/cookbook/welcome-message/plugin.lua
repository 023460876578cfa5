-- welcome-message: a cookbook recipe (docs/cookbook.md). Copy this folder into your
-- plugins folder and tune the settings in your community's configuration.
return {
  name = "welcome-message",
  version = "1.0.0",
  description = "Welcomes new members by name in a private message, only if they accept support messages",
  events = { "member_joined", "consent_changed" },
  failure = "open",
  settings = {
    greeting = {
      type = "string",
      default = "Welcome to {community}, {name}! Ask anything in the forum: members and our support team "
        .. "answer there. Say hello in the introductions thread when you are ready.",
      description = "The private welcome; {name} becomes the member's name and {community} the community's",
    },
    wait_days = {
      type = "integer",
      default = 30,
      description = "Days the welcome waits for a member who joined without accepting support messages",
    },
  },
  rules = { "welcome.lua" },
}
