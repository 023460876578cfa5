-- Off-hours auto-reply: a member who opens a thread at night or at the weekend hears when
-- a person will answer, instead of waiting in silence. Parley labels the reply as automated.
--   off-hours-reply   replies to a new thread opened outside support hours, and tags it

-- Day names by day of the week, Sunday first.
local DAYS = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" }

--- Minutes since midnight for "HH:MM".
---@param clock string
---@return integer
local function minutes_of(clock)
  local hours, minutes = clock:match("^%s*(%d%d?):(%d%d)%s*$")
  assert(hours, "times are written HH:MM, e.g. 09:00, not \"" .. clock .. "\"")
  return tonumber(hours) * 60 + tonumber(minutes)
end

--- True when support works at the current time.
---@param settings table<string, any>
---@return boolean
local function is_open(settings)
  local now = parley.now() + settings.utc_offset_minutes * 60
  local today = DAYS[(now // 86400 + 4) % 7 + 1] -- 1 January 1970 was a Thursday
  local minute = now % 86400 // 60
  local working = false
  for _, day in ipairs(settings.working_days) do
    if day:lower() == today then working = true end
  end
  return working and minute >= minutes_of(settings.opens) and minute < minutes_of(settings.closes)
end

rule {
  id = "off-hours-reply",
  title = "Replies outside support hours",
  on = "message_posted",
  description = "Replies to a member's new thread opened outside support hours and tags it after-hours",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local settings = ctx.settings
    if event.message.automated or ctx.member.role ~= "member" then return end
    if #ctx.thread.messages > 0 or is_open(settings) then return end -- only new threads, only after hours
    local days = {}
    for i, day in ipairs(settings.working_days) do days[i] = day:sub(1, 1):upper() .. day:sub(2) end
    local values = { name = ctx.member.name, opens = settings.opens, closes = settings.closes,
                     days = table.concat(days, ", ") }
    local text = settings.message:gsub("{(%w+)}", function(key) return values[key] end)
    return reply(text), tag("after-hours")
  end,
}
