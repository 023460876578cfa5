-- dialogue-basics: the everyday rules of a support community that treats its
-- members as people in a conversation, not an audience to broadcast at.
-- Every rule is in one of the three files below; settings are explained in README.md.
return {
  name = "dialogue-basics",
  version = "1.0.0",
  description = "Answers questions, rewards members who help, keeps promotion disclosed and contact consented",
  events = { "message_posted", "message_edited", "member_joined", "report_filed", "timer_due" },
  failure = "open",
  settings = {
    answer_within_minutes = {
      type = "integer",
      default = 240,
      description = "Minutes a question may wait for its first answer before the support team is told",
    },
    greeting = {
      type = "string",
      default = "Welcome to the community, {name}! Ask anything: members and our support team answer here.",
      description = "Private welcome sent to new members; {name} becomes the member's name",
    },
    promo_words = {
      type = "list",
      default = { "discount", "% off", "buy now", "coupon", "promo code", "limited time offer", "free shipping" },
      description = "Words and phrases that make a post by staff or a brand representative promotional",
    },
    shouting_min_letters = {
      type = "integer",
      default = 12,
      description = "How many letters (in words of 4 letters or more) a post needs before it can count as shouting",
    },
    loyalty_after_posts = {
      type = "integer",
      default = 3,
      description = "The post count at which a member is offered the loyalty reward (once)",
    },
    loyalty_offer = {
      type = "string",
      default = "Thank you for taking part in the community! Here is 15% off your next accessory: code THANKYOU15.",
      description = "The private loyalty offer; only members who accepted offers receive it",
    },
    reports_to_hold = {
      type = "integer",
      default = 3,
      description = "How many different members must report a message before it is held for a moderator",
    },
  },
  rules = { "moderation.lua", "response.lua", "engagement.lua" },
}
