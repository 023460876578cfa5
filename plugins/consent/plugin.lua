-- consent: permission before contact. Promotion addressed to a member who did
-- not opt in waits for a moderator, and a member's change of mind counts at once.
-- The core already blocks reply/contact effects without consent; this plugin
-- covers what people write in threads. Settings are explained in README.md.
return {
  name = "consent",
  version = "1.0.0",
  description = "Holds offers and news addressed to members who did not agree to them",
  events = { "message_posted", "message_edited", "consent_changed" },
  failure = "closed",
  settings = {
    offer_words = {
      type = "list",
      default = { "discount", "% off", "coupon", "promo code", "buy now", "special offer",
                  "limited time offer", "free shipping", "exclusive deal" },
      description = "Words and phrases that make a post an offer (purpose \"offers\")",
    },
    news_words = {
      type = "list",
      default = { "newsletter", "now available", "just launched", "announcing", "sign up for updates",
                  "product news" },
      description = "Words and phrases that make a post a news item (purpose \"news\")",
    },
    outreach_team = {
      type = "string",
      default = "support",
      description = "The team told when a member withdraws a consent, so it stops contacting them",
    },
  },
  rules = { "consent.lua" },
}
