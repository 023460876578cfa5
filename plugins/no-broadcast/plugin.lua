-- no-broadcast: a community is a conversation, not an audience to broadcast at.
-- Holds the same text posted again and again, link-heavy posts from accounts nobody
-- knows yet and posting floods, and flags accounts that only post and never reply.
-- Every rule is in one of the two files below; settings are explained in README.md.
return {
  name = "no-broadcast",
  version = "1.0.0",
  description = "Keeps one-way marketing out: repeated posts, link drops, post-only accounts and floods",
  events = { "message_posted", "message_edited" },
  failure = "open",
  settings = {
    same_text_max = {
      type = "integer",
      default = 2,
      description = "How many times a member may post the same (or nearly the same) text within the window",
    },
    same_text_window_minutes = {
      type = "integer",
      default = 1440,
      description = "Minutes the plugin remembers a member's text, counted from its first post",
    },
    same_text_min_letters = {
      type = "integer",
      default = 20,
      description = "Letters a text needs before repeating it counts, so short replies like \"Thanks!\" never do",
    },
    max_links = {
      type = "integer",
      default = 2,
      description = "How many links a post by a new or untrusted member may hold before it is held",
    },
    links_trust_below = {
      type = "integer",
      default = 2,
      description = "Members with a trust level below this count as untrusted for max_links",
    },
    links_new_days = {
      type = "integer",
      default = 7,
      description = "Members who joined fewer days ago than this count as new for max_links",
    },
    post_only_min_posts = {
      type = "integer",
      default = 20,
      description = "How many posts a member needs before the plugin looks at how often they reply",
    },
    post_only_min_reply_ratio = {
      type = "number",
      default = 0.1,
      description = "The share of posts that must be replies to other members (0.1 = one in ten)",
    },
    flood_window_minutes = {
      type = "integer",
      default = 10,
      description = "The window, in minutes from a member's first post in it, that posts are counted in",
    },
    flood_max_posts = {
      type = "integer",
      default = 10,
      description = "How many posts a member may make within the flood window; more are held",
    },
    flood_mute_posts = {
      type = "integer",
      default = 20,
      description = "At this many posts within the flood window the member is also muted",
    },
    flood_mute_minutes = {
      type = "integer",
      default = 60,
      description = "How long a flooding member is muted",
    },
  },
  rules = { "promotion.lua", "volume.lua" },
}
