-- civility: the baseline every community needs. A word filter that sees through
-- look-alike letters, separators and invisible characters but never flags
-- "Scunthorpe", plus gentle flags for shouting, mention spam and repeated characters.
-- Every rule is in one of the two files below; settings are explained in README.md.
return {
  name = "civility",
  version = "1.0.0",
  description = "Filters blocked words without false alarms, flags shouting, mention spam and repeated characters",
  events = { "message_posted", "message_edited" },
  failure = "closed",
  settings = {
    blocked_words = {
      type = "list",
      default = { "idiot", "moron", "imbecile", "dumbass", "jackass", "retard", "scumbag" },
      description = "Words and phrases that are not allowed; each matches whole words only",
    },
    blocked_words_action = {
      type = "string",
      default = "hold",
      description = "What happens to a post with a blocked word: \"hold\" for a moderator, or \"remove\"",
    },
    shouting_min_letters = {
      type = "integer",
      default = 16,
      description = "How many letters (in words of 4 letters or more) a post needs before it can count as shouting",
    },
    shouting_ratio = {
      type = "number",
      default = 0.7,
      description = "The share of those letters that must be capitals for the post to count as shouting",
    },
    max_mentions = {
      type = "integer",
      default = 5,
      description = "How many different members one post may @mention",
    },
    max_repeated_characters = {
      type = "integer",
      default = 5,
      description = "How many times one character may repeat in a row (\"!!!!!\", \"sooooo\")",
    },
  },
  rules = { "words.lua", "tone.lua" },
}
