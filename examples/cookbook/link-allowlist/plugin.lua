-- link-allowlist: a cookbook recipe (docs/cookbook.md). Copy this folder into your
-- plugins folder and tune the settings in your community's configuration.
return {
  name = "link-allowlist",
  version = "1.0.0",
  description = "Holds links to sites not on the community's list, except from exempt roles and trusted members",
  events = { "message_posted", "message_edited" },
  failure = "open",
  settings = {
    allowed_domains = {
      type = "list",
      default = { "acme.example", "wikipedia.org", "github.com" },
      description = "Sites members may link to; their subdomains count too (docs.acme.example)",
    },
    exempt_roles = {
      type = "list",
      default = { "staff", "moderator", "owner" },
      description = "Roles that may link to any site",
    },
    exempt_trust = {
      type = "integer",
      default = 3,
      description = "Members at or above this trust level (0-4) may link to any site",
    },
  },
  rules = { "allowlist.lua" },
}
