-- Specs for the office-hours recipe: parley test examples/cookbook/office-hours

-- Days of the week as numbers, Sunday = 0.
local MONDAY, SATURDAY = 1, 6

--- Moves the clock forward to the next given day of the week at hh:mm UTC.
---@param weekday integer 0 = Sunday
---@param hour integer
---@param minute integer
local function advance_to(weekday, hour, minute)
  local now = host.now()
  local today = (now // 86400 + 4) % 7 -- 1 January 1970 was a Thursday
  local target = now - now % 86400 + ((weekday - today) % 7) * 86400 + (hour * 60 + minute) * 60
  if target <= now then target = target + 7 * 86400 end
  host.advance((target - now) // 60)
end

describe("office-hours", function()
  before_each(function()
    host.member{ id = "ada", name = "Ada", trust = 3 }
    host.member{ id = "sam", name = "Sam", role = "staff", affiliation = "Acme", trust = 4 }
  end)

  it("replies to a thread opened on a weekday evening, saying when support is back", function()
    advance_to(MONDAY, 21, 15)
    local d = host.post{ author = "ada", thread = "t1", title = "Router won't boot",
                         text = "After tonight's power cut my router only blinks orange. What can I try?" }
    local answer = d:effect("reply")
    assert.equals("off-hours-reply", answer.rule)
    assert.is_true(answer.automated)
    assert.equals("Thanks for your post, Ada. Our support team is away right now: we answer Mon, Tue, Wed, Thu, "
      .. "Fri from 09:00 to 17:30, and a person will reply when we are back. Other members may answer sooner!",
      answer.text)
    assert.truthy(d:has("tag", { name = "after-hours" }))
    assert.equals("allow", d.verdict)
  end)

  it("replies at the weekend", function()
    advance_to(SATURDAY, 11, 0)
    local d = host.post{ author = "ada", thread = "t1", title = "Parental controls",
                         text = "How do I pause the kids' tablets at 9pm on school nights?" }
    assert.truthy(d:has("reply"))
  end)

  it("stays quiet during support hours, up to the minute support closes", function()
    advance_to(MONDAY, 9, 0)
    local opening = host.post{ author = "ada", thread = "t1", title = "Firmware",
                               text = "Is firmware 2.2 safe to install on the AX58 yet?" }
    assert.same({}, opening.effects)
    advance_to(MONDAY, 17, 29)
    assert.same({}, host.post{ author = "ada", thread = "t2", title = "VPN",
                               text = "Does the VPN server support WireGuard?" }.effects)
    host.advance(1)
    assert.truthy(host.post{ author = "ada", thread = "t3", title = "VPN",
                             text = "And does it support IPsec too?" }:has("reply"))
  end)

  it("replies only to a new thread, not to later posts or to staff", function()
    advance_to(SATURDAY, 23, 0)
    host.post{ author = "ada", thread = "t1", title = "Slow", text = "Speeds halve every evening around 20:00." }
    local later = host.post{ author = "ada", thread = "t1", text = "It happens on cable too, not just Wi-Fi." }
    assert.same({}, later.effects)
    assert.same({}, host.post{ author = "sam", thread = "t2", title = "Maintenance",
                               text = "Cloud services restart tonight between 23:00 and 23:30." }.effects)
  end)

  it("follows the team's hours, days and time zone", function()
    host.settings{ opens = "08:00", closes = "20:00", working_days = { "mon", "tue", "wed", "thu", "fri", "sat" },
                   utc_offset_minutes = -300, message = "Hi {name}, we're back at {opens} ({days})." }
    advance_to(SATURDAY, 23, 0) -- 18:00 on Saturday in New York: open
    assert.same({}, host.post{ author = "ada", thread = "t1", title = "Mesh",
                               text = "Can I mix AX58 and AX55 nodes in one mesh?" }.effects)
    advance_to(MONDAY, 10, 0) -- 05:00 on Monday in New York: closed
    local d = host.post{ author = "ada", thread = "t2", title = "Mesh", text = "Which node should be the main one?" }
    assert.equals("Hi Ada, we're back at 08:00 (Mon, Tue, Wed, Thu, Fri, Sat).", d:effect("reply").text)
  end)
end)
