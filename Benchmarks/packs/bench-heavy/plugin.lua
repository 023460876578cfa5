-- bench-heavy: the engine benchmark's heavy rule pack. Ten rules with
-- patterns, gsub, lower-casing and counting, the costly end of what
-- communities write. The C baseline runs these same files; see
-- Benchmarks/README.md.
return {
  name = "bench-heavy",
  version = "1.0.0",
  description = "Benchmark pack: ten costly rules (patterns, gsub, lower-casing, counting)",
  events = { "message_posted" },
  failure = "open",
  settings = {
    max_links = { type = "integer", default = 2, description = "Links one post may carry" },
    max_mentions = { type = "integer", default = 4, description = "Members one post may mention" },
    shouting_ratio = { type = "number", default = 0.7, description = "Share of capitals that is shouting" },
    promo_phrases = {
      type = "list",
      default = { "discount", "buy now", "limited offer", "promo code", "free shipping" },
      description = "Phrases that make a post promotional",
    },
    blocked_words = {
      type = "list",
      default = { "idiot", "moron", "scam", "garbage" },
      description = "Words that are not allowed",
    },
  },
  rules = { "text.lua", "people.lua" },
}
