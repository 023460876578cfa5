-- listening-desk: listening beats talking. Questions, complaints and feedback in
-- threads are signals to act on: they go to the team that answers them, the
-- community notices when nobody has answered, and feedback is collected by theme.
-- Rules are in the two files below; settings are explained in README.md.
return {
  name = "listening-desk",
  version = "1.0.0",
  description = "Routes questions, complaints and feedback to the team that answers, and follows up when nobody does",
  events = { "message_posted", "timer_due" },
  failure = "open",
  settings = {
    teams = {
      type = "list",
      default = { "question=support", "complaint=care", "feedback=product" },
      description = "Which team answers each kind of signal, as \"kind=team\"; a kind with no team is only tagged",
    },
    complaint_words = {
      type = "list",
      default = { "disappointed", "frustrated", "unacceptable", "complaint", "refund", "terrible",
                  "still broken", "not working", "doesn't work", "stopped working" },
      description = "Words and phrases that make a member's post a complaint",
    },
    feedback_words = {
      type = "list",
      default = { "suggest", "suggestion", "feature request", "would be nice", "would love", "i wish",
                  "please add", "could you add", "feedback", "idea" },
      description = "Words and phrases that make a member's post feedback for the team",
    },
    acknowledge = {
      type = "boolean",
      default = false,
      description = "Whether a routed signal gets an automated public reply saying who will answer",
    },
    acknowledgement = {
      type = "string",
      default = "Thanks, {name}. Your {kind} is with our {team} team, and a person will answer you here.",
      description = "The automated acknowledgement; {name}, {kind} and {team} are filled in",
    },
    answer_within_minutes = {
      type = "integer",
      default = 240,
      description = "Minutes a routed signal may wait for an answer before its team is told",
    },
    answered_by_trust = {
      type = "integer",
      default = 3,
      description = "The trust level (0-4) from which a member's reply counts as an answer, as staff replies do",
    },
    themes = {
      type = "list",
      default = { "pricing=price|pricing|expensive|subscription", "battery=battery|charging|charger",
                  "setup=setup|install|pairing", "app=app|update|crash" },
      description = "Feedback themes as \"theme=word|word\"; a post using a word tags its thread theme-<theme>",
    },
  },
  rules = { "listening.lua", "follow-up.lua" },
}
