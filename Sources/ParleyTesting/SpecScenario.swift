import Foundation
import Parley
import ParleyLua

/// What `host.*` in a spec drives: one community with the plugin under
/// test, a fresh engine per test, and the last decision (shown on failure).
final class SpecScenario {
  static let community = "spec"

  let catalog: PluginCatalog
  let plugin: String
  let seed: Int64
  private(set) var engine: SpecEngine?
  private(set) var lastDecision: Decision?
  private var nextMessage = 0

  init(catalog: PluginCatalog, plugin: String, seed: Int64) {
    self.catalog = catalog
    self.plugin = plugin
    self.seed = seed
  }

  /// Starts a test: a new store, clock and engine.
  func reset() throws(ParleyError) {
    let engine = try SpecEngine(catalog: catalog, seed: seed)
    try? engine.store.saveNow(
      Community(id: Self.community, name: "Spec community", plugins: [EnabledPlugin(name: plugin)]))
    self.engine = engine
    lastDecision = nil
    nextMessage = 0
  }

  func finish() { engine = nil }

  private func current() throws -> SpecEngine {
    guard let engine else {
      throw HostFunctionError.message("host is only available inside it(...)")
    }
    return engine
  }

  private func record(_ decision: Decision) -> LuaValue {
    lastDecision = decision
    return decision.lua
  }

  /// Registers `host.*` in the spec state.
  func register(in lua: LuaState) {
    lua.register("now", in: "host") { [unowned self] _ in
      .integer(Int64(try current().clock.now.timeIntervalSince1970))
    }
    lua.register("member", in: "host") { [unowned self] arguments in
      let spec = try Spec(arguments.value(1), call: "host.member")
      let engine = try current()
      let id = try spec.string("id")
      let joinedAt =
        try spec.optionalNumber("joined_at").map { Date(timeIntervalSince1970: $0) }
        ?? engine.clock.now.addingTimeInterval(
          -(try spec.optionalNumber("age_days") ?? 365) * 86_400)
      var consents = Consents(support: true, news: false, offers: false)
      let given = spec.value["consents"]
      for purpose in Purpose.allCases {
        if let granted = given[purpose.rawValue].boolValue { consents[purpose] = granted }
      }
      let history = spec.value["history"]
      func count(_ key: String) -> Int { Int(history[key].integerValue ?? 0) }
      let role = try spec.optionalString("role") ?? "member"
      guard let parsedRole = Member.Role(rawValue: role) else {
        throw HostFunctionError.message(
          "role must be member, staff, moderator or owner, not '\(role)'")
      }
      try engine.store.saveNow(
        Member(
          id: id, community: Self.community, displayName: try spec.optionalString("name") ?? id,
          role: parsedRole, affiliation: try spec.optionalString("affiliation"), joinedAt: joinedAt,
          trustLevel: Int(try spec.optionalNumber("trust") ?? 1), consents: consents,
          history: DialogueHistory(
            posts: count("posts"), repliesToOthers: count("replies_to_others"),
            repliesReceived: count("replies_received"), questionsAsked: count("questions_asked"),
            questionsAnswered: count("questions_answered")),
          score: Int(try spec.optionalNumber("score") ?? 0)))
      return .string(id)
    }
    lua.register("thread", in: "host") { [unowned self] arguments in
      let spec = try Spec(arguments.value(1), call: "host.thread")
      let engine = try current()
      let id = try spec.string("id")
      let opener = try spec.string("opener")
      var thread = DialogueThread(
        id: id, community: Self.community, title: try spec.optionalString("title") ?? id,
        opener: opener)
      if let status = try spec.optionalString("status") {
        guard let parsed = DialogueThread.Status(rawValue: status) else {
          throw HostFunctionError.message(
            "status must be open, answered or locked, not '\(status)'")
        }
        thread.status = parsed
      }
      if case .array(let tags) = spec.value["tags"] { thread.tags = tags.compactMap(\.stringValue) }
      try engine.store.saveNow(thread)
      if case .array(let earlier) = spec.value["messages"] {
        for item in earlier {
          let message = try Spec(item, call: "host.thread messages")
          let author = try message.string("author")
          try engine.store.insertNow(
            Message(
              id: try message.optionalString("id") ?? makeID(), thread: id, author: author,
              text: try message.string("text"), createdAt: engine.clock.now,
              replyTo: try message.optionalString("reply_to")))
          if !thread.participants.contains(author) { thread.participants.append(author) }
        }
        try engine.store.saveNow(thread)
      }
      return .string(id)
    }
    lua.register("settings", in: "host") { [unowned self] arguments in
      let spec = try Spec(arguments.value(1), call: "host.settings")
      let engine = try current()
      var settings: [String: SettingValue] = [:]
      if case .map(let fields) = spec.value {
        for (key, value) in fields {
          guard let name = key.stringValue, let setting = SettingValue(spec: value) else {
            throw HostFunctionError.message(
              "settings are strings, numbers, booleans or lists of strings")
          }
          settings[name] = setting
        }
      }
      try engine.store.saveNow(
        Community(
          id: Self.community, name: "Spec community",
          plugins: [EnabledPlugin(name: plugin, settings: settings)]))
      return .nil
    }
    lua.register("post", in: "host") { [unowned self] arguments in
      let spec = try Spec(arguments.value(1), call: "host.post")
      let engine = try current()
      let author = try spec.string("author")
      let thread = try spec.optionalString("thread") ?? "thread"
      if try engine.store.threadNow(thread) == nil {
        try engine.store.saveNow(
          DialogueThread(
            id: thread, community: Self.community,
            title: try spec.optionalString("title") ?? thread,
            opener: author))
      }
      let message = Message(
        id: try spec.optionalString("id") ?? makeID(), thread: thread, author: author,
        text: try spec.string("text"), createdAt: engine.clock.now,
        replyTo: try spec.optionalString("reply_to"),
        sponsored: spec.value["sponsored"].boolValue ?? false,
        automated: spec.value["automated"].boolValue ?? false)
      return record(try engine.handle(.messagePosted(message)))
    }
    lua.register("edit", in: "host") { [unowned self] arguments in
      let spec = try Spec(arguments.value(1), call: "host.edit")
      let engine = try current()
      let id = try spec.string("message")
      guard var message = engine.store.messageNow(id) else {
        throw HostFunctionError.message("no message '\(id)'; post it first with host.post")
      }
      message.text = try spec.string("text")
      return record(try engine.handle(.messageEdited(message)))
    }
    lua.register("join", in: "host") { [unowned self] arguments in
      record(try current().handle(.memberJoined(member: try arguments.string(1))))
    }
    lua.register("report", in: "host") { [unowned self] arguments in
      let spec = try Spec(arguments.value(1), call: "host.report")
      return record(
        try current().handle(
          .reportFiled(
            Report(
              message: try spec.string("message"), reporter: try spec.string("reporter"),
              reason: try spec.optionalString("reason") ?? ""))))
    }
    lua.register("consent", in: "host") { [unowned self] arguments in
      let engine = try current()
      let id = try arguments.string(1)
      let name = try arguments.string(2)
      guard let purpose = Purpose(rawValue: name) else {
        throw HostFunctionError.message("purpose must be support, news or offers, not '\(name)'")
      }
      let granted = arguments.stack.isTruthy(at: 3)
      guard var member = engine.store.memberNow(id) else {
        throw HostFunctionError.message("no member '\(id)'; add it with host.member first")
      }
      member.consents[purpose] = granted
      try engine.store.saveNow(member)
      return record(
        try engine.handle(
          .consentChanged(ConsentChange(member: id, purpose: purpose, granted: granted))))
    }
    lua.register("review", in: "host") { [unowned self] arguments in
      let spec = try Spec(arguments.value(1), call: "host.review")
      let outcome = try spec.optionalString("outcome") ?? "approved"
      guard let parsed = ReviewResolution.Outcome(rawValue: outcome) else {
        throw HostFunctionError.message("outcome must be approved or rejected, not '\(outcome)'")
      }
      return record(
        try current().handle(
          .reviewResolved(
            ReviewResolution(
              message: try spec.string("message"), outcome: parsed,
              moderator: try spec.optionalString("moderator") ?? "moderator"))))
    }
    lua.register("appeal", in: "host") { [unowned self] arguments in
      let spec = try Spec(arguments.value(1), call: "host.appeal")
      return record(
        try current().handle(
          .appealFiled(
            Appeal(
              decision: try spec.string("decision"), member: try spec.string("member"),
              text: try spec.optionalString("text") ?? ""))))
    }
    lua.register("resolve_appeal", in: "host") { [unowned self] arguments in
      let spec = try Spec(arguments.value(1), call: "host.resolve_appeal")
      let outcome = try spec.optionalString("outcome") ?? "overturned"
      guard let parsed = AppealResolution.Outcome(rawValue: outcome) else {
        throw HostFunctionError.message("outcome must be upheld or overturned, not '\(outcome)'")
      }
      return record(
        try current().handle(
          .appealResolved(
            AppealResolution(
              decision: try spec.string("decision"), outcome: parsed,
              moderator: try spec.optionalString("moderator") ?? "moderator",
              note: try spec.optionalString("note")))))
    }
    lua.register("advance", in: "host") { [unowned self] arguments in
      let engine = try current()
      engine.clock.advance(minutes: try arguments.number(1))
      let decisions = try engine.fireDueTimers()
      if let last = decisions.last { lastDecision = last }
      return .array(decisions.map(\.lua))
    }
  }

  private func makeID() -> String {
    nextMessage += 1
    return "m\(nextMessage)"
  }
}

/// A table argument of a `host.*` call, read field by field with errors that
/// name the call and field.
struct Spec {
  let value: LuaValue
  let call: String

  init(_ value: LuaValue, call: String) throws {
    guard case .map = value else {
      throw HostFunctionError.message("\(call) takes a table, e.g. \(call){ ... }")
    }
    self.value = value
    self.call = call
  }

  func string(_ key: String) throws -> String {
    guard let text = value[key].stringValue else {
      throw HostFunctionError.message("\(call) needs `\(key)` (a string)")
    }
    return text
  }

  func optionalString(_ key: String) throws -> String? {
    if value[key] == .nil { return nil }
    return try string(key)
  }

  func optionalNumber(_ key: String) throws -> Double? {
    switch value[key] {
    case .nil: return nil
    case .integer(let i): return Double(i)
    case .number(let d): return d
    default: throw HostFunctionError.message("\(call): `\(key)` must be a number")
    }
  }
}

extension SettingValue {
  init?(spec value: LuaValue) {
    switch value {
    case .string(let s): self = .string(s.string ?? "")
    case .integer(let i): self = .integer(Int(i))
    case .number(let d): self = .number(d)
    case .boolean(let b): self = .boolean(b)
    case .array(let items):
      let strings = items.compactMap(\.stringValue)
      guard strings.count == items.count else { return nil }
      self = .list(strings)
    default: return nil
    }
  }
}
