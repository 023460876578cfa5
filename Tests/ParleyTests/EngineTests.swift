import Foundation
import Parley
import ParleyLua
import ParleyStoreSuite
import Testing

@Suite("The rule engine combines and explains")
struct EngineTests {
  @Test("rules run by priority, higher first, ties in declaration order")
  func ordering() async throws {
    let host = try await TestHost.make([
      PluginFixture(
        name: "order",
        files: [
          "rules.lua": """
          rule { id = "low", on = "message_posted", description = "d", check = function() return tag("low") end }
          rule { id = "high", on = "message_posted", priority = 10, description = "d",
                 check = function() return tag("high") end }
          rule { id = "tie", on = "message_posted", description = "d", check = function() return tag("tie") end }
          rule { id = "mid", on = "message_posted", priority = 5, description = "d",
                 check = function() return tag("mid") end }
          """
        ])
    ])
    let decision = try await host.post("hello")
    #expect(
      decision.effects.map(\.effect) == [.tag("high"), .tag("mid"), .tag("low"), .tag("tie")])
  }

  @Test("the most severe verdict wins, and every part keeps its provenance")
  func combination() async throws {
    let host = try await TestHost.make([
      PluginFixture(
        name: "judge",
        files: [
          "rules.lua": """
          rule { id = "flagger", on = "message_posted", description = "d",
                 check = function() return flag("looks odd"), tag("odd") end }
          rule { id = "holder", on = "message_posted", description = "d",
                 check = function() return hold("needs a look"), tag("odd") end }
          rule { id = "allower", on = "message_posted", description = "d",
                 check = function() return allow("fine by me") end }
          """
        ])
    ])
    let decision = try await host.post("hello")
    #expect(decision.verdict == .hold)
    #expect(decision.verdicts.map(\.verdict) == [.hold, .flag, .allow])
    let deciding = try #require(decision.deciding.first)
    #expect(deciding.reason == "needs a look")
    #expect(deciding.source.rule == "holder")
    #expect(deciding.source.location.hasSuffix("judge/rules.lua:3"))
    // The same effect twice is kept once, credited to the first rule.
    #expect(decision.effects.count == 1)
    #expect(decision.effects.first?.source.rule == "flagger")
    #expect(decision.explanation.hasPrefix("hold: needs a look (judge/holder)"))
    #expect(try await host.store.pendingReviews(community: TestHost.community).count == 1)
  }

  @Test(
    "a failing rule is recorded, the others still run, and the failure mode applies",
    arguments: [("open", Verdict.allow), ("closed", Verdict.hold)])
  func failures(mode: String, expected: Verdict) async throws {
    let host = try await TestHost.make(
      [
        PluginFixture(
          name: "fragile", failure: mode,
          files: [
            "rules.lua": """
            rule { id = "broken", on = "message_posted", description = "d",
                   check = function(event) return event.nothing.here end }
            rule { id = "spinner", on = "message_posted", description = "d",
                   check = function() while true do end end }
            rule { id = "fine", on = "message_posted", description = "d",
                   check = function() return tag("still-ran") end }
            """
          ])
      ], budget: LuaBudget(instructions: 100_000, time: .seconds(2)))
    let decision = try await host.post("hello")
    #expect(decision.verdict == expected)
    #expect(decision.effects.map(\.effect) == [.tag("still-ran")])
    #expect(decision.failures.map(\.source.rule) == ["broken", "spinner"])
    #expect(decision.failures.map(\.kind) == ["error", "instructions"])
    #expect(decision.failures.allSatisfy { $0.applied == expected })
    let broken = try #require(decision.failures.first)
    #expect(broken.error.contains("fragile/rules.lua:2:"))
    #expect(broken.error.contains("attempt to index a nil value (field 'nothing')"))
    #expect(decision.explanation.contains("fragile/broken failed"))
  }

  @Test("writing to the event or context is refused, naming the field")
  func readOnlyContext() async throws {
    let host = try await TestHost.make([
      PluginFixture(
        name: "writer",
        files: [
          "rules.lua": """
          rule { id = "promote", on = "message_posted", description = "d",
                 check = function(event, ctx)
                   ctx.member.trust = 4
                 end }
          rule { id = "rewrite", on = "message_posted", description = "d",
                 check = function(event, ctx) event.message.text = "" end }
          rule { id = "reader", on = "message_posted", description = "d",
                 check = function(event, ctx)
                   local n = 0
                   for _, id in ipairs(ctx.thread.participants) do n = n + 1 end
                   for k in pairs(ctx.member.consents) do n = n + 1 end
                   return tag(ctx.member.name .. ":" .. n .. ":" .. #ctx.thread.participants)
                 end }
          """
        ])
    ])
    let decision = try await host.post("hello")
    let errors = decision.failures.map(\.error)
    #expect(errors.count == 2)
    #expect(errors.first?.contains("writer/rules.lua:3: ctx.member.trust is read-only") == true)
    #expect(errors.last?.contains("event.message.text is read-only") == true)
    #expect(decision.effects.map(\.effect) == [.tag("Ada:4:1")])
    let member = try #require(try await host.store.member("ada"))
    #expect(member.trustLevel == 1)
  }

  @Test("a member or thread kept from an earlier event never loads the running event's data")
  func keptTablesStopLoading() async throws {
    let host = try await TestHost.make(
      [
        PluginFixture(
          name: "keeper",
          files: [
            "rules.lua": """
            local member, thread
            rule { id = "keep", on = "message_posted", description = "d",
                   check = function(event, ctx)
                     if event.message.text == "keep" then
                       member, thread = ctx.member, ctx.thread
                       return
                     end
                     return flag(member.name .. "; consents " .. tostring(member.consents)
                       .. "; history " .. tostring(member.history)
                       .. "; messages " .. tostring(thread.messages)
                       .. "; now " .. ctx.member.name .. " offers " .. tostring(ctx.member.consents.offers))
                   end }
            """
          ])
      ], workers: 1)
    try await host.parley.openThread(
      DialogueThread(id: "t2", community: TestHost.community, title: "Other", opener: "bob"))
    _ = try await host.post("keep")
    let later = try await host.post("later", by: "bob", in: "t2")
    #expect(
      later.deciding.first?.reason
        == "Ada; consents nil; history nil; messages nil; now Bob offers false")
  }

  @Test("every plugin reads the same event and context through its own rules")
  func pluginsShareViews() async throws {
    func reader(_ name: String) -> PluginFixture {
      PluginFixture(
        name: name,
        files: [
          "rules.lua": """
          rule { id = "read", on = "message_posted", description = "d",
                 check = function(event, ctx)
                   local tags = {}
                   for _, t in ipairs(ctx.thread.tags) do tags[#tags + 1] = t end
                   return tag("\(name):" .. event.message.text .. ":" .. ctx.member.name .. ":"
                     .. ctx.thread.title .. ":" .. ctx.community.id .. ":" .. #tags)
                 end }
          """
        ])
    }
    let host = try await TestHost.make([reader("one"), reader("two"), reader("three")], workers: 1)
    // The second post's thread carries the three tags the first one added.
    for (text, tags) in [("first", 0), ("second", 3)] {
      let decision = try await host.post(text)
      #expect(decision.failures.isEmpty, "\(decision.failures.map(\.error))")
      #expect(
        Set(decision.effects.map(\.effect))
          == Set(["one", "two", "three"].map { .tag("\($0):\(text):Ada:Hello:c1:\(tags)") }))
    }
  }

  @Test("a write deep in the context, or to a table kept from an earlier event, says where it is")
  func readOnlyPaths() async throws {
    let host = try await TestHost.make(
      [
        PluginFixture(
          name: "deep",
          settings: #"blocked = { type = "list", default = { "a" }, description = "d" }"#,
          files: [
            "rules.lua": """
            local kept
            rule { id = "deep", on = "message_posted", description = "d",
                   check = function(event, ctx)
                     if event.message.text == "keep" then kept = ctx.member return end
                     local _, setting = pcall(function() ctx.settings.blocked[1] = "x" end)
                     local _, tag = pcall(function() ctx.thread.tags[1] = "x" end)
                     local _, old = pcall(function() kept.trust = 4 end)
                     return flag(table.concat({
                       setting:match("[%w%.]+ is read%-only"), tag:match("[%w%.]+ is read%-only"),
                       old:match("field '%w+' of an earlier event's table is read%-only"),
                     }, "|"))
                   end }
            """
          ])
      ], workers: 1)
    _ = try await host.post("keep")
    let decision = try await host.post("write")
    #expect(
      decision.deciding.first?.reason
        == "ctx.settings.blocked.1 is read-only|ctx.thread.tags.1 is read-only|"
        + "field 'trust' of an earlier event's table is read-only")
  }

  @Test("a table read twice through a view is the same view, so rules can compare and key by it")
  func sameView() async throws {
    let host = try await TestHost.make(
      [
        PluginFixture(
          name: "same",
          settings: #"blocked = { type = "list", default = { "a" }, description = "d" }"#,
          files: [
            "rules.lua": """
            rule { id = "same", on = "message_posted", description = "d",
                   check = function(event, ctx)
                     local seen = { [event.message] = "message" }
                     return flag(table.concat({
                       tostring(event.message == event.message), tostring(ctx.member == ctx.member),
                       tostring(ctx.settings.blocked == ctx.settings.blocked),
                       tostring(ctx.thread.tags == ctx.thread.tags), seen[event.message] or "lost",
                     }, " "))
                   end }
            """
          ])
      ], workers: 1)
    for text in ["first", "second"] {
      let decision = try await host.post(text)
      #expect(decision.deciding.first?.reason == "true true true true message", "\(text)")
    }
  }

  @Test("promotion to a member without consent is blocked and recorded")
  func consent() async throws {
    let host = try await TestHost.make([
      PluginFixture(
        name: "offers",
        files: [
          "rules.lua": """
          rule { id = "offer", on = "message_posted", description = "d",
                 check = function(event, ctx)
                   return contact(ctx.member.id, "offers", "20% off"),
                          reply("thanks!"),
                          reply("buy more", { purpose = "news" })
                 end }
          """
        ])
    ])
    let refused = try await host.post("hello", by: "bob")
    #expect(
      refused.effects.map(\.effect) == [
        .reply(text: "thanks!", to: "bob", purpose: .support, automated: true)
      ])
    #expect(
      refused.blocked.map(\.why) == [
        "bob has not consented to offers", "bob has not consented to news",
      ])
    #expect(refused.blocked.first?.source.rule == "offer")
    #expect(refused.explanation.contains("x blocked message bob (offers)"))

    let accepted = try await host.post("hello", by: "ada")
    #expect(accepted.blocked.isEmpty)
    #expect(accepted.effects.count == 3)
    #expect(
      accepted.effects.allSatisfy {
        if case .reply(_, _, _, let automated) = $0.effect { automated } else { true }
      })
  }

  @Test("scheduled follow-ups come back as timer_due events when the clock passes them")
  func timers() async throws {
    let host = try await TestHost.make([
      PluginFixture(
        name: "followup", events: ["message_posted", "timer_due"],
        files: [
          "rules.lua": """
          rule { id = "ask", on = "message_posted", description = "d",
                 check = function(event) return schedule("nudge", 60, { thread = event.message.thread }) end }
          rule { id = "nudge", on = "timer_due", description = "d",
                 check = function(event)
                   return notify("support", event.timer.name .. " " .. event.timer.data.thread .. " at " .. parley.now())
                 end }
          """
        ])
    ])
    let start = host.clock.now
    _ = try await host.post("anyone?")
    host.clock.advance(minutes: 59)
    #expect(try await host.parley.fireDueTimers().isEmpty)
    host.clock.advance(minutes: 1)
    let fired = try await host.parley.fireDueTimers()
    #expect(fired.count == 1)
    let expected = "nudge t1 at \(Int(start.timeIntervalSince1970) + 3600)"
    #expect(fired.first?.effects.map(\.effect) == [.notify(team: "support", text: expected)])
    #expect(try await host.parley.fireDueTimers().isEmpty)
  }

  @Test("plugin state counts, expires and stays per plugin")
  func pluginState() async throws {
    let counting = """
      rule { id = "count", on = "message_posted", description = "d",
             check = function(event) return tag(tostring(state.incr("posts", 1, 10))) end }
      """
    let host = try await TestHost.make([
      PluginFixture(name: "a", files: ["rules.lua": counting]),
      PluginFixture(name: "b", files: ["rules.lua": counting]),
    ])
    #expect(try await host.post("1").effects.map(\.effect) == [.tag("1")])
    #expect(try await host.post("2").effects.map(\.effect) == [.tag("2")])
    host.clock.advance(minutes: 11)
    #expect(try await host.post("3").effects.map(\.effect) == [.tag("1")])
  }

  @Test("settings are the manifest's defaults with the community's overrides")
  func settings() async throws {
    let plugin = PluginFixture(
      name: "configured",
      settings: """
        limit = { type = "integer", default = 3, description = "d" },
        words = { type = "list", default = { "a", "b" }, description = "d" },
        """,
      files: [
        "rules.lua": """
        rule { id = "show", on = "message_posted", description = "d",
               check = function(event, ctx) return tag(ctx.settings.limit .. "/" .. #ctx.settings.words) end }
        """
      ])
    let defaults = try await TestHost.make([plugin])
    #expect(try await defaults.post("x").effects.map(\.effect) == [.tag("3/2")])
    let overridden = try await TestHost.make(
      [plugin], settings: ["configured": ["limit": .integer(9)]])
    #expect(try await overridden.post("x").effects.map(\.effect) == [.tag("9/2")])
  }
}

@Suite("The engine keeps its promises under load")
struct EngineUpkeepTests {
  @Test("a muted member's posts are held by the core until the mute ends")
  func muteIsEnforced() async throws {
    let host = try await TestHost.make([
      PluginFixture(
        name: "quiet",
        files: [
          "rules.lua": """
          rule { id = "hush", on = "message_posted", description = "d",
                 check = function(event)
                   if event.message.text:find("flood", 1, true) then return mute(30, "flooding") end
                 end }
          rule { id = "sees-mute", on = "message_posted", description = "d",
                 check = function(_, ctx) if ctx.member.muted_until then return tag("muted") end end }
          """
        ])
    ])
    let muting = try await host.post("flood flood flood")
    #expect(muting.verdict == .allow)
    host.clock.advance(minutes: 10)
    let during = try await host.post("Is anyone there? I only asked a question.")
    #expect(during.verdict == .hold)
    #expect(during.deciding.first?.source == Provenance.mutedAuthor)
    #expect(during.deciding.first?.reason.contains("20 more minutes") == true)
    #expect(during.effects.map(\.effect) == [.tag("muted")])
    host.clock.advance(minutes: 21)
    let after = try await host.post("Thanks for your patience, here is my question again.")
    #expect(after.verdict == .allow)
  }

  @Test(
    "lazy context fields (thread messages and participants, member consents and history) are built on first read, read-only, and seen by pairs"
  )
  func lazyContextFields() async throws {
    let host = try await TestHost.make([
      PluginFixture(
        name: "reader",
        files: [
          "rules.lua": """
          rule { id = "count", on = "message_posted", description = "d",
                 check = function(_, ctx)
                   local keys = {}
                   for k in pairs(ctx.thread) do keys[#keys + 1] = k end
                   table.sort(keys)
                   local texts = {}
                   for _, m in ipairs(ctx.thread.messages) do texts[#texts + 1] = m.text end
                   local member = {}
                   for k in pairs(ctx.member) do member[#member + 1] = k end
                   table.sort(member)
                   local ok, err = pcall(function() ctx.thread.messages[1].text = "x" end)
                   return tag(table.concat(keys, ",")), tag(table.concat(texts, "|")),
                          tag("member:" .. table.concat(member, ",")),
                          tag("posts:" .. ctx.member.history.posts),
                          tag(ok and "writable" or err:match("ctx%.thread%.messages%.1%.text is read%-only") and "ro" or err)
                 end }
          rule { id = "untouched", on = "message_posted", description = "d", check = function() end }
          """
        ])
    ])
    _ = try await host.post("first")
    _ = try await host.post("second")
    let third = try await host.post("third")
    let tags = third.effects.map(\.effect)
    #expect(tags.contains(.tag("first|second")))
    #expect(tags.contains(.tag("ro")))
    #expect(tags.contains(.tag("posts:2")))
    #expect(
      tags.contains {
        if case .tag(let k) = $0 {
          k.hasPrefix("member:") && k.contains("consents") && k.contains("history")
        } else {
          false
        }
      })
    #expect(
      tags.contains {
        if case .tag(let k) = $0 {
          k.contains("messages") && k.contains("opener") && k.contains("participants")
        } else {
          false
        }
      })
  }

  @Test(
    "ctx.community and ctx.thread are built on first read, seen by pairs(ctx), nil without a thread, and a ctx kept from an earlier event never shows a later event's thread"
  )
  func lazyCommunityAndThread() async throws {
    let host = try await TestHost.make(
      [
        PluginFixture(
          name: "reader", events: ["message_posted", "member_joined"],
          files: [
            "rules.lua": """
            local kept
            rule { id = "look", on = "message_posted", description = "d",
                   check = function(event, ctx)
                     if event.message.text == "keep" then
                       kept = ctx
                       return flag("community " .. ctx.community.name)
                     end
                     local keys = {}
                     for k in pairs(ctx) do keys[#keys + 1] = k end
                     table.sort(keys)
                     return flag("kept thread " .. tostring(kept.thread) .. "; thread "
                       .. ctx.thread.title .. " by " .. ctx.thread.opener .. "; keys "
                       .. table.concat(keys, ","))
                   end }
            rule { id = "joined", on = "member_joined", description = "d",
                   check = function(_, ctx)
                     return flag("thread " .. tostring(ctx.thread) .. "; community " .. ctx.community.id)
                   end }
            """
          ])
      ], workers: 1)
    try await host.parley.openThread(
      DialogueThread(id: "t2", community: TestHost.community, title: "Other", opener: "bob"))
    let kept = try await host.post("keep")
    #expect(kept.deciding.first?.reason == "community Test community")
    let later = try await host.post("later", in: "t2")
    #expect(
      later.deciding.first?.reason
        == "kept thread nil; thread Other by bob; keys community,member,settings,thread")
    let joined = try await host.parley.join(
      Member(id: "cy", community: TestHost.community, displayName: "Cy", joinedAt: host.clock.now))
    #expect(joined.deciding.first?.reason == "thread nil; community c1")
  }

  @Test("a held post earns no points; an allowed one does")
  func heldPostsEarnNothing() async throws {
    let host = try await TestHost.make([
      PluginFixture(
        name: "points",
        files: [
          "rules.lua": """
          rule { id = "reward", on = "message_posted", description = "d",
                 check = function() return score(5, "replied") end }
          rule { id = "spam", on = "message_posted", description = "d",
                 check = function(event)
                   if event.message.text:find("buy now", 1, true) then return hold("advert") end
                 end }
          """
        ])
    ])
    let advert = try await host.post("Cheap routers, buy now at example.com")
    #expect(advert.verdict == .hold)
    #expect(advert.effects.isEmpty)
    #expect(advert.blocked.first?.why.contains("earns no points") == true)
    let answer = try await host.post("Turning off Smart Connect fixed it for me.")
    #expect(answer.effects.map(\.effect) == [.score(member: "ada", points: 5, reason: "replied")])
    #expect(try await host.store.member("ada")?.score == 5)
  }

  @Test("every rule's calls and time are counted, and the Lua heap is reported")
  func ruleCosts() async throws {
    let host = try await TestHost.make(
      [
        PluginFixture(
          name: "costly", events: ["message_posted", "member_joined"],
          files: [
            "rules.lua": """
            rule { id = "cheap", on = "message_posted", description = "d", check = function() end }
            rule { id = "busy", on = "message_posted", description = "d",
                   check = function() local n = 0 for i = 1, 200000 do n = n + i end end }
            rule { id = "broken", on = "message_posted", description = "d",
                   check = function() error("boom") end }
            rule { id = "joins", on = "member_joined", description = "d", check = function() end }
            """
          ])
      ], workers: 2)
    for i in 0..<10 { _ = try await host.post("message \(i)") }
    let costs = host.parley.ruleCosts()
    // "busy" runs about 400,000 instructions a call, so that a failing call
    // (its traceback built) preempted while tests run in parallel cannot
    // outweigh it.
    #expect(costs.map(\.rule).first == "busy", "slowest in total first")
    let byRule = Dictionary(uniqueKeysWithValues: costs.map { ($0.rule, $0) })
    #expect(byRule["cheap"]?.calls == 10)
    #expect(byRule["busy"]?.calls == 10)
    #expect(byRule["broken"]?.failures == 10)
    #expect(byRule["joins"]?.calls == 0)
    let busy = try #require(byRule["busy"])
    #expect(busy.totalNanoseconds > byRule["cheap"]!.totalNanoseconds)
    #expect(busy.durations.count == 10)
    #expect(busy.durations.percentile(0.99) >= Int64(busy.meanNanoseconds * 0.5))
    #expect(busy.location.hasSuffix("costly/rules.lua:2"))
    #expect(host.parley.workerHeapBytes().contains { $0 > 0 })
  }

  @Test("an in-memory store with retention forgets the oldest, never the recent")
  func retention() async throws {
    let store = InMemoryStore(
      retention: .init(messagesPerThread: 5, decisions: 10, pendingReviews: 10))
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("parley-tests-\(UUID().uuidString)")
    let remover = FolderRemover(folder)
    defer { withExtendedLifetime(remover) {} }
    try TestHost.write(
      [
        PluginFixture(
          name: "holder",
          files: [
            "rules.lua": """
            rule { id = "hold-all", on = "message_posted", description = "d",
                   check = function(_, ctx) return hold("seen " .. #ctx.thread.messages) end }
            """
          ])
      ], to: folder)
    let parley = try await Parley(plugins: folder, store: store, clock: ManualClock())
    try await parley.createCommunity(
      Community(id: "c1", name: "C", plugins: [EnabledPlugin(name: "holder")]))
    try await parley.addMember(
      Member(id: "ada", community: "c1", displayName: "Ada", joinedAt: Date()))
    try await parley.openThread(
      DialogueThread(id: "t1", community: "c1", title: "T", opener: "ada"))
    var last: Decision?
    var ids: [String] = []
    for i in 0..<100 {
      last = try await parley.handle(
        .messagePosted(
          Message(id: "m\(i)", thread: "t1", author: "ada", text: "post \(i)", createdAt: Date())))
      ids.append(last!.id)
      // Every decision the log keeps is found by id (appeals look them up),
      // and the one just forgotten is not.
      for kept in ids.suffix(10) {
        #expect(try await store.decision(id: kept)?.id == kept, "decision \(kept) after \(i + 1)")
      }
      if ids.count > 10 {
        #expect(try await store.decision(id: ids[ids.count - 11]) == nil)
      }
    }
    #expect(try await store.message("m0") == nil)
    #expect(try await store.message("m99") != nil)
    #expect(try await store.message("m95") != nil)
    // The rule still sees the recent messages.
    #expect(last?.deciding.first?.reason.hasPrefix("seen ") == true)
    let decisions = try await store.decisions(community: "c1", limit: 1000)
    #expect(decisions.count <= 20 && decisions.first?.event.summary.contains("m99") == true)
    let reviews = try await store.pendingReviews(community: "c1")
    #expect(reviews.count <= 20 && reviews.contains { $0.message == "m99" })
    // Looked up after a quiet spell of 35 decisions (the index catches up
    // on lookup, past the ones trimmed meanwhile), and again after 7 and 1.
    for quiet in [35, 7, 1] {
      for i in 0..<quiet {
        let decision = try await parley.handle(
          .messagePosted(
            Message(
              id: "q\(quiet)-\(i)", thread: "t1", author: "ada", text: "quiet", createdAt: Date())))
        ids.append(decision.id)
      }
      for kept in ids.suffix(10) {
        #expect(try await store.decision(id: kept)?.id == kept, "decision \(kept) after \(quiet)")
      }
      for gone in ids.dropLast(10).suffix(30) {
        #expect(try await store.decision(id: gone) == nil, "decision \(gone) after \(quiet)")
      }
    }
  }
}

@Suite("Member notices")
struct NoticeTests {
  static let plugin = PluginFixture(
    name: "words",
    settings:
      #"blocked = { type = "list", default = { "scunthorpe-free-zone", "badword" }, description = "d" }"#,
    files: [
      "rules.lua": """
      rule { id = "blocked-words", title = "Keep it civil", on = "message_posted",
             description = "Posts with words the community does not accept wait for a moderator",
             check = function(event, ctx)
               for _, w in ipairs(ctx.settings.blocked) do
                 if event.message.text:find(w, 1, true) then
                   return hold{ reason = "matched '" .. w .. "' (score 7)",
                                notice = "Please say it without insults." }
                 end
               end
             end }
      rule { id = "flood", on = "message_posted", description = "d",
             check = function(event)
               if event.message.text:find("again and again", 1, true) then
                 return mute(30, "flooding, score 12")
               end
             end }
      """
    ])

  @Test("a held post's notice names the rule's title and description and leaks no internals")
  func heldNotice() async throws {
    let host = try await TestHost.make([Self.plugin])
    let decision = try await host.post("You are a badword and everyone knows it", by: "bob")
    let notice = try #require(decision.notice)
    #expect(notice.member == "bob")
    #expect(
      notice.headline == "Your post in “Hello” is waiting for a moderator before others can see it."
    )
    #expect(
      notice.rules == [
        RuleSummary(
          title: "Keep it civil",
          description: "Posts with words the community does not accept wait for a moderator",
          plugin: "words")
      ])
    #expect(notice.message == "Please say it without insults.")
    #expect(notice.nextSteps.contains { $0.contains("edit it") })
    for secret in ["badword", "score", "7", "matched", "blocked-words"] {
      #expect(!notice.text.contains(secret), "the notice leaks '\(secret)': \(notice.text)")
    }
  }

  @Test("a community's own wording replaces the rule's, and a mute is told with its length")
  func communityWordingAndMute() async throws {
    let host = try await TestHost.make([Self.plugin])
    try await host.parley.createCommunity(
      Community(
        id: TestHost.community, name: "Test community",
        plugins: [
          EnabledPlugin(name: "words", notice: "Our house rules: be kind. Ask Mia if unsure.")
        ]))
    let held = try await host.post("badword", by: "bob")
    #expect(held.notice?.message == "Our house rules: be kind. Ask Mia if unsure.")

    let muted = try await host.post("I will post this again and again", by: "ada")
    #expect(muted.verdict == .allow)
    let notice = try #require(muted.notice)
    #expect(notice.headline.contains("You are muted for 30 minutes"))
    #expect(notice.rules.map(\.title) == ["Flood"])
    #expect(!notice.text.contains("score 12"))
  }

  @Test("a plain allow has no notice")
  func plainAllow() async throws {
    let host = try await TestHost.make([Self.plugin])
    #expect(try await host.post("Thanks, that fixed it!").notice == nil)
  }
}

@Suite("Appeals")
struct AppealTests {
  static let plugin = PluginFixture(
    name: "strict", events: ["message_posted", "appeal_filed", "appeal_resolved"],
    files: [
      "rules.lua": """
      rule { id = "no-links", title = "No links", on = "message_posted",
             description = "Posts with links wait for a moderator",
             check = function(event)
               if event.message.text:find("http", 1, true) then return hold("a link") end
             end }
      rule { id = "hush", on = "message_posted", description = "Floods mute the poster",
             check = function(event)
               if event.message.text:find("FLOOD", 1, true) then return mute(60, "flood") end
             end }
      rule { id = "watch-appeals", on = { "appeal_filed", "appeal_resolved" }, description = "d",
             check = function(event)
               local a = event.appeal
               return notify("moderators", event.kind .. " " .. (a.outcome or a.text) .. " "
                 .. (a.message or "-") .. " " .. table.concat(a.rules or {}, ","))
             end }
      """
    ])

  @Test("an overturned appeal restores the post, closes its review, and rules see both events")
  func overturned() async throws {
    let host = try await TestHost.make([Self.plugin])
    let held = try await host.post("My guide: https://example.org/mesh", by: "bob", id: "m-link")
    #expect(held.verdict == .hold)
    #expect(
      try await host.store.pendingReviews(community: TestHost.community).map(\.message) == [
        "m-link"
      ])

    let filed = try await host.parley.appeal(
      decision: held.id, member: "bob", text: "It is the vendor's own support page.")
    #expect(filed.verdict == .allow)
    #expect(
      filed.notice?.headline
        == "Your appeal against the decision on your post in “Hello” is with the moderators.")
    #expect(
      filed.effects.map(\.effect) == [
        .notify(
          team: "moderators",
          text: "appeal_filed It is the vendor's own support page. m-link strict/no-links")
      ])
    let pending = try await host.store.pendingAppeals(community: TestHost.community)
    #expect(pending.map(\.decision) == [held.id])
    #expect(pending.first?.rules.map(\.name) == ["strict/no-links"])
    #expect(pending.first?.reasons == ["a link"])

    let resolved = try await host.parley.resolveAppeal(
      decision: held.id, outcome: .overturned, moderator: "mia", note: "Official page, fine.")
    #expect(resolved.effects.map(\.effect).contains(.restore(message: "m-link")))
    #expect(
      resolved.effects.contains {
        $0.effect
          == .notify(team: "moderators", text: "appeal_resolved overturned m-link strict/no-links")
      })
    #expect(
      resolved.notice?.headline
        == "Your appeal was accepted: the decision on your post in “Hello” is reversed.")
    #expect(resolved.notice?.message == "The moderator wrote: Official page, fine.")
    #expect(try await host.store.pendingReviews(community: TestHost.community).isEmpty)
    #expect(try await host.store.pendingAppeals(community: TestHost.community).isEmpty)
    #expect(try await host.store.appeal(decision: held.id)?.outcome == .overturned)
  }

  @Test("overturning a mute lifts it at once")
  func liftsMute() async throws {
    let host = try await TestHost.make([Self.plugin])
    let muting = try await host.post("FLOOD FLOOD FLOOD", by: "bob")
    #expect(try await host.store.member("bob")?.mutedUntil != nil)
    _ = try await host.parley.appeal(
      decision: muting.id, member: "bob", text: "My cat sat on the keyboard")
    let resolved = try await host.parley.resolveAppeal(
      decision: muting.id, outcome: .overturned, moderator: "mia")
    #expect(resolved.effects.map(\.effect).contains(.liftMute(member: "bob")))
    #expect(try await host.store.member("bob")?.mutedUntil == nil)
    #expect(try await host.post("Sorry about that, everyone.", by: "bob").verdict == .allow)
  }

  @Test("one appeal per decision, only by the member it acted on, within the window")
  func limits() async throws {
    let host = try await TestHost.make([Self.plugin])
    let held = try await host.post("see http://x.example", by: "bob")
    let byOther = try await host.parley.appeal(decision: held.id, member: "ada", text: "unfair")
    #expect(byOther.verdict == .remove)
    #expect(byOther.notice?.message == "only the member the decision acted on can appeal it")
    _ = try await host.parley.appeal(decision: held.id, member: "bob", text: "please")
    let again = try await host.parley.appeal(decision: held.id, member: "bob", text: "please!!")
    #expect(again.verdict == .remove)
    #expect(again.deciding.first?.reason.contains("one appeal per decision") == true)
    let upheld = try await host.parley.resolveAppeal(
      decision: held.id, outcome: .upheld, moderator: "mia")
    #expect(upheld.effects.allSatisfy { $0.source != .appeals })
    #expect(upheld.notice?.headline.contains("stands") == true)
    let twice = try await host.parley.resolveAppeal(
      decision: held.id, outcome: .overturned, moderator: "sam")
    #expect(twice.verdict == .remove)
    #expect(try await host.store.appeal(decision: held.id)?.outcome == .upheld)

    let late = try await host.post("and http://y.example", by: "bob")
    host.clock.advance(minutes: 15 * 24 * 60)
    let tooLate = try await host.parley.appeal(decision: late.id, member: "bob", text: "hm")
    #expect(tooLate.notice?.message == "decisions can be appealed for 14 days; this one is older")

    await #expect(throws: ParleyError.unknownDecision("d-nope")) {
      try await host.parley.appeal(decision: "d-nope", member: "bob", text: "?")
    }
    await #expect(throws: ParleyError.noPendingAppeal(late.id)) {
      try await host.parley.resolveAppeal(decision: late.id, outcome: .upheld, moderator: "mia")
    }
  }
}
