-- Welcome messages: greet each new member by name, privately, with the purpose "support".
-- A member who did not accept support messages is not written to; if they accept them
-- within wait_days, the welcome goes out then. (Parley would block the message anyway:
-- asking first keeps the decision free of refused messages.)
--   welcome                 sends the welcome when a member joins
--   welcome-after-consent   sends a waiting welcome when the member accepts support messages
--
-- State: "welcomed:<member id>" once welcomed; "waiting:<member id>" while a welcome waits.

--- The greeting for the member, with {name} and {community} filled in.
---@param ctx ParleyContext
---@return string
local function greeting(ctx)
  local text = ctx.settings.greeting:gsub("{name}", function() return ctx.member.name end)
  return (text:gsub("{community}", function() return ctx.community.name end))
end

rule {
  id = "welcome",
  title = "A welcome for new members",
  on = "member_joined",
  description = "Sends a new member a private welcome, or keeps it until they accept support messages",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local member = ctx.member
    if member.role ~= "member" or state.get("welcomed:" .. member.id) then return end
    if not member.consents.support then
      state.set("waiting:" .. member.id, true, ctx.settings.wait_days * 24 * 60)
      return
    end
    state.set("welcomed:" .. member.id, true)
    return contact(event.member, "support", greeting(ctx))
  end,
}

rule {
  id = "welcome-after-consent",
  title = "A welcome once you accept messages",
  on = "consent_changed",
  description = "Sends a waiting welcome when the member accepts support messages",
  ---@param event ParleyEvent
  ---@param ctx ParleyContext
  check = function(event, ctx)
    local change = event.consent
    if change.purpose ~= "support" or not change.granted then return end
    if not state.get("waiting:" .. change.member) then return end
    state.delete("waiting:" .. change.member)
    state.set("welcomed:" .. change.member, true)
    return contact(change.member, "support", greeting(ctx))
  end,
}
