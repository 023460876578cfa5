-- Five cheap rules: each reads a few fields and searches the text without patterns.

rule {
  id = "newcomer-link",
  on = "message_posted",
  description = "Holds links posted by members with no trust yet",
  check = function(event, ctx)
    if ctx.member.trust == 0 and event.message.text:find("http", 1, true) then
      return hold("links from new members wait for a moderator")
    end
  end,
}

rule {
  id = "everyone-mention",
  on = "message_posted",
  description = "Removes posts that @everyone the community",
  check = function(event, ctx)
    if ctx.member.role == "member" and event.message.text:find("@everyone", 1, true) then
      return remove("only staff may mention everyone")
    end
  end,
}

rule {
  id = "undisclosed-offer",
  on = "message_posted",
  description = "Holds staff offers not marked sponsored",
  check = function(event, ctx)
    local message = event.message
    if ctx.member.role == "staff" and not message.sponsored and message.text:find("discount", 1, true) then
      return hold("promotion by staff must be marked sponsored")
    end
  end,
}

rule {
  id = "long-post",
  on = "message_posted",
  description = "Flags very long posts",
  check = function(event, ctx)
    if #event.message.text > ctx.settings.max_length then
      return flag("a very long post")
    end
  end,
}

rule {
  id = "route-question",
  on = "message_posted",
  description = "Routes new questions to the support team",
  check = function(event, ctx)
    local message = event.message
    if message.reply_to == nil and message.text:find("?", 1, true) then
      return route(ctx.settings.support_team, "a question")
    end
  end,
}
