-- self-promotion: a cookbook recipe (docs/cookbook.md). Copy this folder into your
-- plugins folder and tune the settings in your community's configuration.
return {
  name = "self-promotion",
  version = "1.0.0",
  description = "Holds a link to a site the member links to in more than one post in ten (the 9:1 rule)",
  events = { "message_posted" },
  failure = "open",
  settings = {
    max_share = {
      type = "number",
      default = 0.1,
      description = "The share of a member's posts that may link to the same site (0.1 = one post in ten)",
    },
    ignored_domains = {
      type = "list",
      default = { "acme.example", "wikipedia.org", "github.com" },
      description = "Sites that never count as self-promotion (your own, reference sites); subdomains count too",
    },
    exempt_roles = {
      type = "list",
      default = { "staff", "moderator", "owner" },
      description = "Roles the 9:1 rule never applies to",
    },
  },
  rules = { "ratio.lua" },
}
