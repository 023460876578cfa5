---@meta parley

-- Parley's Lua rule API, described for the Lua language server (LuaLS), so that
-- editors complete and check rule files, plugin manifests and specs.
-- Nothing here runs: the host provides every function at run time.
-- The reference in plain words is docs/rules.md.

-------------------------------------------------------------------------------
-- Words
-------------------------------------------------------------------------------

---@alias ParleyEventKind
---| "message_posted"   # a message was posted: event.message
---| "message_edited"   # a message was edited: event.message (new text), event.previous_text
---| "member_joined"    # a member joined: event.member (their id)
---| "report_filed"     # a member reported a message: event.report
---| "consent_changed"  # a member changed a consent: event.consent
---| "timer_due"        # a follow-up timer of this plugin came due: event.timer
---| "review_resolved"  # a moderator decided on held content: event.review
---| "appeal_filed"     # a member appealed a decision: event.appeal
---| "appeal_resolved"  # a moderator upheld or overturned an appeal: event.appeal

---@alias ParleyVerdict
---| "allow"   # the content stays up
---| "flag"    # the content stays up; moderators are asked to look
---| "hold"    # the content is hidden until a moderator approves it
---| "remove"  # the content is taken down

---@alias ParleyPurpose
---| "support"  # help with the member's own questions
---| "news"     # product news
---| "offers"   # promotions, discounts, rewards

---@alias ParleyRole "member"|"staff"|"moderator"|"owner"

---@alias ParleyThreadStatus "open"|"answered"|"locked"

---@alias ParleyReviewOutcome "approved"|"rejected"

---A team or role to tell or route to: "support", "moderators", "owner", or a team the community defines.
---@alias ParleyTeam "support"|"moderators"|"owner"|string

---What the plugin's state can hold.
---@alias ParleyStateValue string|number|boolean

---What a timer's data can hold.
---@alias ParleyTimerData table<string, string|number|boolean>

-------------------------------------------------------------------------------
-- The manifest: plugin.lua returns a ParleyManifest
-------------------------------------------------------------------------------

---@alias ParleySettingType "string"|"integer"|"number"|"boolean"|"list"

---@class ParleySetting
---@field type ParleySettingType What kind of value; "list" is a list of strings.
---@field default any The value used when the community does not set one.
---@field description string What the setting does, in one line.

---@class ParleyManifest
---@field name string The plugin's name; must equal its folder's name.
---@field version string The plugin's version, e.g. "1.0.0".
---@field description string What the plugin does, in one line.
---@field events ParleyEventKind[] Every event kind any of its rules listens to.
---@field failure "open"|"closed" "open": a failing rule counts as allow. "closed": a failing rule holds the content for review.
---@field settings? table<string, ParleySetting> The settings a community can change.
---@field rules? string[] Rule files, relative to the plugin's folder. Default { "rules.lua" }.

-------------------------------------------------------------------------------
-- Events
-------------------------------------------------------------------------------

---@class ParleyMessage
---@field id string
---@field thread string The thread's id.
---@field author string The author's member id.
---@field text string
---@field created_at integer Unix seconds.
---@field reply_to string|nil The id of the message this one answers, if any.
---@field sponsored boolean True when the author marked it as paid or sponsored content.
---@field automated boolean True for messages written by automation (always labelled as such).

---@class ParleyReport
---@field message string The reported message's id.
---@field reporter string The reporting member's id.
---@field reason string What the reporter wrote.

---@class ParleyConsentChange
---@field member string The member's id.
---@field purpose ParleyPurpose
---@field granted boolean

---@class ParleyTimer
---@field name string The name given to schedule().
---@field data ParleyTimerData The data given to schedule() (empty when none was given).

---@class ParleyAppeal
---@field decision string The appealed decision's id.
---@field member string Who appealed.
---@field text? string The member's words (appeal_filed).
---@field outcome? "upheld"|"overturned" The moderator's answer (appeal_resolved).
---@field moderator? string Who answered (appeal_resolved).
---@field note? string The moderator's note (appeal_resolved).
---@field verdict ParleyVerdict The appealed decision's verdict.
---@field message? string The message the appealed decision was about.
---@field rules string[] The rules that decided it, as "plugin/rule".

---@class ParleyReview
---@field message string The reviewed message's id.
---@field outcome ParleyReviewOutcome
---@field moderator string The moderator's member id.
---@field note string|nil The moderator's note, if they gave one.

---What happened. Which fields are present depends on `kind`.
---@class ParleyEvent
---@field kind ParleyEventKind
---@field message? ParleyMessage message_posted, message_edited
---@field previous_text? string message_edited: the text before the edit
---@field member? string member_joined: the new member's id
---@field report? ParleyReport report_filed
---@field consent? ParleyConsentChange consent_changed
---@field timer? ParleyTimer timer_due
---@field review? ParleyReview review_resolved
---@field appeal? ParleyAppeal appeal_filed, appeal_resolved

-------------------------------------------------------------------------------
-- Context (read-only)
-------------------------------------------------------------------------------

---@class ParleyCommunity
---@field id string
---@field name string

---@class ParleyConsents
---@field support boolean
---@field news boolean
---@field offers boolean

---@class ParleyHistory
---@field posts integer
---@field replies_to_others integer
---@field replies_received integer
---@field questions_asked integer
---@field questions_answered integer

---@class ParleyMember
---@field id string
---@field name string
---@field role ParleyRole
---@field affiliation string|nil The organisation the member speaks for, e.g. "Acme"; nil for none.
---@field joined_at integer Unix seconds.
---@field trust integer 0 (brand new) to 4 (most trusted).
---@field consents ParleyConsents What the member agreed to be contacted for.
---@field history ParleyHistory
---@field score integer Engagement points earned so far.
---@field muted_until integer|nil Unix seconds when a mute ends; while it lasts the core holds the member's posts.

---@class ParleyThread
---@field id string
---@field title string
---@field status ParleyThreadStatus
---@field opener string The id of the member who opened the thread.
---@field participants string[] Member ids.
---@field tags string[]
---@field messages ParleyMessage[] Recent messages, oldest first.
---@field team string|nil The team the thread is routed to, if any.

---Everything a rule may read about the event. Read-only: assigning to a field is an error.
---It belongs to its event: keep the values you need, not `ctx` (a `ctx`, member or thread
---kept for a later event answers `nil` for the parts built on first read and not read yet).
---@class ParleyContext
---@field community ParleyCommunity
---@field member ParleyMember|nil The member the event is about (the author, the joiner, the reported message's author, the consenting member); nil for timers.
---@field thread ParleyThread|nil The event's thread; nil for events without one (joins, consents, timers).
---@field settings table<string, any> The plugin's settings: the manifest's defaults with the community's changes.

-------------------------------------------------------------------------------
-- Rules
-------------------------------------------------------------------------------

---A proposal made by a helper (allow, hold, reply, route, ...). Return it from `check`.
---@class ParleyProposal

---@class ParleyRule
---@field id string Unique within the plugin, kebab-case, e.g. "route-questions". Moderators see it.
---@field title? string The rule's name as members read it in a notice, e.g. "No links from new members". Default: the id in words ("route-questions" gives "Route questions").
---@field on ParleyEventKind|ParleyEventKind[] The event kind(s) the rule listens to.
---@field priority? integer Higher runs first; default 0; ties run in file order.
---@field description string What the rule does, in one line. Members read it in notices after the title: no setting names, scores, word lists or patterns.
---@field check fun(event: ParleyEvent, ctx: ParleyContext): ... # Returns any number of proposals (see ParleyProposal), or nothing for no opinion.

---Declares a rule. Call it once per rule in a rule file.
---
---```lua
---rule {
---  id = "route-questions",
---  title = "Questions reach the support team",
---  on = "message_posted",
---  description = "A member's question goes to the support team",
---  check = function(event, ctx)
---    if event.message.text:find("?", 1, true) then
---      return route("support", "a member asked a question")
---    end
---  end,
---}
---```
---@param definition ParleyRule
function rule(definition) end

-- Verdicts: the most severe wins across all rules (remove > hold > flag > allow).
-- Each takes a reason (for moderators), or a table with the reason and a notice
-- (for the member whose post it is): hold{ reason = "...", notice = "..." }.

---A verdict with words for the member as well as the moderators.
---@class ParleyVerdictSpec
---@field reason string For moderators: what the rule found. Members never see it.
---@field notice? string For the member whose post it is: plain, friendly words on what to do. Shown in their notice after the rule's title and description; a community's own wording for the plugin replaces it.

---The content may stay up.
---
---```lua
---return allow("posted by a moderator")
---```
---@param reason string For moderators.
---@return ParleyProposal
---@overload fun(verdict: ParleyVerdictSpec): ParleyProposal
function allow(reason) end

---The content stays up, and moderators are asked to look at it.
---
---```lua
---return flag{ reason = "written mostly in capital letters",
---             notice = "Lower case is easier to read: you can edit your post." }
---```
---@param reason string For moderators.
---@return ParleyProposal
---@overload fun(verdict: ParleyVerdictSpec): ParleyProposal
function flag(reason) end

---The content is hidden until a moderator approves it.
---
---```lua
---return hold{ reason = "3 links in one post from a new member",
---             notice = "While you are new here, a moderator checks posts with several links first." }
---```
---@param reason string For moderators.
---@return ParleyProposal
---@overload fun(verdict: ParleyVerdictSpec): ParleyProposal
function hold(reason) end

---The content is taken down.
---
---```lua
---return remove{ reason = "uses \"recovery expert\"",
---               notice = "If you meant to ask about a message you received, report that message." }
---```
---@param reason string For moderators.
---@return ParleyProposal
---@overload fun(verdict: ParleyVerdictSpec): ParleyProposal
function remove(reason) end

-- Effects.

---@class ParleyReplyOptions
---@field purpose? ParleyPurpose Default "support". For "news" or "offers" the author must have consented.

---A public reply in the event's thread, addressed to the message's author, labelled automated.
---@param text string
---@param opts? ParleyReplyOptions
---@return ParleyProposal
function reply(text, opts) end

---A private message to a member. Blocked by the core unless the member consented to that purpose.
---@param member_id string
---@param purpose ParleyPurpose
---@param text string
---@return ParleyProposal
function contact(member_id, purpose, text) end

---Tells a team or role.
---@param team ParleyTeam
---@param text string
---@return ParleyProposal
function notify(team, text) end

---Assigns the event's thread to a team.
---@param team ParleyTeam
---@param reason string
---@return ParleyProposal
function route(team, reason) end

---Tags the event's thread.
---@param name string
---@return ParleyProposal
function tag(name) end

---Engagement points for a member (default: the member the event is about, ctx.member).
---Points for someone outside the event's community are blocked.
---@param points integer
---@param reason string
---@param member_id? string
---@return ParleyProposal
function score(points, reason, member_id) end

---Stops a member from posting for a while (default: the member the event is about, ctx.member).
---A mute for someone outside the event's community is blocked.
---@param minutes integer
---@param reason string
---@param member_id? string
---@return ParleyProposal
function mute(minutes, reason, member_id) end

---A follow-up timer: after that many minutes a "timer_due" event comes back to this plugin's
---rules with event.timer = { name = name, data = data }.
---@param name string
---@param after_minutes integer
---@param data? ParleyTimerData
---@return ParleyProposal
function schedule(name, after_minutes, data) end

-------------------------------------------------------------------------------
-- parley: time, randomness, log
-------------------------------------------------------------------------------

---@class ParleyLib
parley = {}

---The current time in Unix seconds, from the host's clock.
---@return integer
function parley.now() end

---A random number, like math.random, seeded per event (repeatable).
---@param m? integer
---@param n? integer
---@return number
function parley.random(m, n) end

---Writes to the host's log (print is not available).
---@param ... any
function parley.log(...) end

-------------------------------------------------------------------------------
-- state: the plugin's small persistent store, per community
-------------------------------------------------------------------------------

---@class ParleyState
state = {}

---The value stored under key, or nil.
---@param key string
---@return ParleyStateValue|nil
function state.get(key) end

---Stores a value; with ttl_minutes it expires after that many minutes.
---@param key string
---@param value ParleyStateValue
---@param ttl_minutes? integer
function state.set(key, value, ttl_minutes) end

---Adds `by` (default 1) to the number under key and returns the new value. A missing key counts
---from 0; ttl_minutes sets its expiry when the key is created.
---@param key string
---@param by? integer
---@param ttl_minutes? integer
---@return integer
function state.incr(key, by, ttl_minutes) end

---Forgets a key.
---@param key string
function state.delete(key) end

-------------------------------------------------------------------------------
-- Specs (spec/*_spec.lua, run by `parley test`): decisions, host, busted
-------------------------------------------------------------------------------

---One effect in a decision. `kind` and `rule` are always there; the other fields are the
---helper's arguments (route: team; tag: name; notify: team, text; contact: member, purpose, text; ...).
---@class ParleyEffectRecord
---@field kind "reply"|"contact"|"notify"|"route"|"tag"|"score"|"mute"|"schedule"
---@field rule string The id of the rule that asked for it.
---@field team? string
---@field name? string
---@field text? string
---@field purpose? ParleyPurpose
---@field member? string
---@field points? integer
---@field minutes? integer
---@field after_minutes? integer
---@field reason? string
---@field data? ParleyTimerData

---An effect the core refused, e.g. a contact without the member's consent.
---@class ParleyBlockedRecord
---@field kind "reply"|"contact"
---@field purpose ParleyPurpose
---@field member string
---@field why string
---@field rule? string

---@class ParleyFailureRecord
---@field rule string The id of the rule that failed.
---@field error string The error, with file and line.

---What the member a decision acted on is told. Never holds a verdict's reason.
---@class ParleyNoticeRecord
---@field member string Who it is for: the post's author (for a report, the reported post's author).
---@field headline string What happened, e.g. "Your post in “Deals” is waiting for a moderator before others can see it."
---@field rules string[] The titles of the rules that decided.
---@field message? string The verdicts' notices, or the community's wording for the plugin; nil when there is none.
---@field next_steps string[] What the member can do now.
---@field text string All of it as the member reads it: headline, "Community rule: <title>. <description>" per rule, message, next steps; one per line.

---The combined outcome of one event.
---@class ParleyDecision
---@field id string The decision's id: what `host.appeal{ decision = d.id, ... }` names.
---@field verdict ParleyVerdict
---@field reasons string[]
---@field effects ParleyEffectRecord[]
---@field blocked ParleyBlockedRecord[]
---@field failures ParleyFailureRecord[]
---@field rule? string The id of the rule whose verdict won; nil when no rule gave a verdict.
---@field explanation string The text moderators see.
---@field notice? ParleyNoticeRecord What the post's author is told; nil for a plain allow.
---@field message? string The id of the message the event is about.
local ParleyDecision = {}

---True when the decision has an effect of that kind whose fields match
---`fields` (a `text` field matches when the effect's text contains it).
---@param kind string
---@param fields? table
---@return boolean
function ParleyDecision:has(kind, fields) end

---The first effect of that kind matching `fields`, or nil.
---@param kind string
---@param fields? table
---@return ParleyEffectRecord|nil
function ParleyDecision:effect(kind, fields) end

---True when the core blocked an effect of that kind matching `fields`.
---@param kind string
---@param fields? table
---@return boolean
function ParleyDecision:was_blocked(kind, fields) end

---@class ParleyTestMember
---@field id string
---@field name? string
---@field role? ParleyRole
---@field affiliation? string
---@field trust? integer
---@field consents? { support?: boolean, news?: boolean, offers?: boolean } Not given: support yes, news and offers no.
---@field joined_at? integer Unix seconds; or use age_days.
---@field age_days? number How long ago the member joined (default 365).
---@field history? { posts?: integer, replies_to_others?: integer, replies_received?: integer, questions_asked?: integer, questions_answered?: integer }
---@field score? integer

---@class ParleyTestPost
---@field author string
---@field text string
---@field thread string
---@field title? string Only for the first post of a thread.
---@field reply_to? string
---@field sponsored? boolean

---A fresh in-memory community for each `it`, with a manual clock.
---@class ParleyTestHost
host = {}

---Adds a member; returns the id.
---@param member ParleyTestMember
---@return string
function host.member(member) end

---@param post ParleyTestPost
---@return ParleyDecision
function host.post(post) end

---@param edit { message: string, text: string }
---@return ParleyDecision
function host.edit(edit) end

---@param member_id string
---@return ParleyDecision
function host.join(member_id) end

---@param report { message: string, reporter: string, reason: string }
---@return ParleyDecision
function host.report(report) end

---@param member_id string
---@param purpose ParleyPurpose
---@param granted boolean
---@return ParleyDecision
function host.consent(member_id, purpose, granted) end

---Moves the clock; returns the decisions of the timers that came due.
---@param minutes integer
---@return ParleyDecision[]
function host.advance(minutes) end

---@param review { message: string, outcome: ParleyReviewOutcome, moderator: string }
---@return ParleyDecision
function host.review(review) end

---A member appeals a decision that acted on them (`appeal_filed`).
---@param appeal { decision: string, member: string, text?: string }
---@return ParleyDecision
function host.appeal(appeal) end

---A moderator answers an appeal (`appeal_resolved`); outcome `overturned` when not given.
---@param resolution { decision: string, outcome?: "upheld"|"overturned", moderator?: string, note?: string }
---@return ParleyDecision
function host.resolve_appeal(resolution) end

---Changes the plugin's settings for this community.
---@param settings table<string, any>
function host.settings(settings) end

---A thread with earlier messages, stored without running any rule.
---@param thread { id: string, opener: string, title?: string, status?: ParleyThreadStatus, tags?: string[], messages?: { author: string, text: string, id?: string, reply_to?: string }[] }
---@return string
function host.thread(thread) end

---The manual clock, in Unix seconds.
---@return integer
function host.now() end

---One `it` per case, named with `name` (a format string receiving the
---case's `name` field, or its index).
---@generic T
---@param list T[]
---@param name string
---@param body fun(case: T)
function cases(list, name, body) end

---@param name string
---@param body fun()
function describe(name, body) end

---@param name string
---@param body fun()
function it(name, body) end

---@param body fun()
function before_each(body) end

---@param body fun()
function after_each(body) end

---In specs, `assert` also has these checks.
---@class ParleyAssert
---@overload fun(v: any, message?: any, ...: any): any
assert = {}

---@param expected any
---@param actual any
function assert.equals(expected, actual) end

---Deep comparison of tables.
---@param expected any
---@param actual any
function assert.same(expected, actual) end

---@param v any
function assert.is_true(v) end

---@param v any
function assert.is_false(v) end

---@param v any
function assert.is_nil(v) end

---@param v any
function assert.truthy(v) end

---@param v any
function assert.falsy(v) end

---@param v any
function assert.not_nil(v) end

---@param pattern string A Lua pattern.
---@param text string
function assert.matches(pattern, text) end

---@param decision ParleyDecision
---@param kind string
---@param fields? table
function assert.has_effect(decision, kind, fields) end
