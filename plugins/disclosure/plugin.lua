-- disclosure: say who is speaking. Promotion by the brand's people is disclosed,
-- sponsored content carries the sponsored mark, nobody poses as staff, and
-- automation labels itself. Settings are explained in README.md.
return {
  name = "disclosure",
  version = "1.0.0",
  description = "Keeps promotion disclosed, staff recognisable and automated messages labelled",
  events = { "message_posted", "message_edited" },
  failure = "open",
  settings = {
    brand = {
      type = "string",
      default = "",
      description = "The name the community's staff speak for, e.g. \"Acme\"; empty means the community's name",
    },
    promo_words = {
      type = "list",
      default = { "discount", "% off", "buy now", "coupon", "promo code", "limited time offer", "free shipping",
                  "special offer" },
      description = "Words and phrases that make a post by staff or a brand representative promotional",
    },
    disclosure_markers = {
      type = "list",
      default = { "#ad", "#sponsored", "sponsored", "paid partnership", "advertisement" },
      description = "Words that disclose a post as paid or sponsored, when not asked as a question",
    },
    staff_claims = {
      type = "list",
      default = { "this is {brand} support", "i am from {brand} support", "i'm from {brand} support",
                  "i work for {brand}", "speaking on behalf of {brand}", "official {brand} support",
                  "as a member of staff", "i am a moderator", "i'm a moderator" },
      description = "First-person phrases that claim to speak as the community's staff; {brand} becomes the brand",
    },
    staff_name_words = {
      type = "list",
      default = { "official", "staff", "support", "admin", "moderator", "{brand}" },
      description = "Words in a display name that claim to be staff; {brand} becomes the brand",
    },
    automation_labels = {
      type = "list",
      default = { "[bot]", "[automated]", "(automated reply)" },
      description = "Labels one of which every automated message must carry",
    },
  },
  rules = { "disclosure.lua" },
}
