import Parley
import ParleyLua

extension Decision {
  /// The decision as a spec sees it: plain tables with the rule API's names.
  var lua: LuaValue {
    var table: [LuaValue: LuaValue] = [
      "id": .string(id),
      "verdict": .string(verdict.rawValue),
      "reasons": .array(verdicts.map { .string($0.reason) }),
      "effects": .array(effects.map { $0.effect.lua(source: $0.source) }),
      "blocked": .array(
        blocked.map { blocked in
          var entry = blocked.effect.lua(source: blocked.source)
          if case .map(var fields) = entry {
            fields["why"] = .string(blocked.why)
            entry = .map(fields)
          }
          return entry
        }),
      "failures": .array(
        failures.map {
          .map([
            "rule": .string($0.source.rule), "plugin": .string($0.source.plugin),
            "error": .string($0.error), "kind": .string($0.kind),
          ])
        }),
      "explanation": .string(explanation),
    ]
    if let rule = deciding.first?.source.rule { table["rule"] = .string(rule) }
    if let notice {
      var fields: [LuaValue: LuaValue] = [
        "member": .string(notice.member), "headline": .string(notice.headline),
        "rules": .array(notice.rules.map { .string($0.title) }),
        "next_steps": .array(notice.nextSteps.map { .string($0) }), "text": .string(notice.text),
      ]
      if let message = notice.message { fields["message"] = .string(message) }
      table["notice"] = .map(fields)
    }
    switch event {
    case .messagePosted(let message), .messageEdited(let message):
      table["message"] = .string(message.id)
    case .reportFiled(let report): table["message"] = .string(report.message)
    case .reviewResolved(let review): table["message"] = .string(review.message)
    default: break
    }
    return .map(table)
  }
}

extension Effect {
  func lua(source: Provenance) -> LuaValue {
    var fields: [LuaValue: LuaValue] = [
      "kind": .string(kind), "rule": .string(source.rule), "plugin": .string(source.plugin),
    ]
    switch self {
    case .reply(let text, let to, let purpose, let automated):
      fields["text"] = .string(text)
      if let to { fields["to"] = .string(to) }
      fields["purpose"] = .string(purpose.rawValue)
      fields["automated"] = .boolean(automated)
    case .contact(let member, let purpose, let text):
      fields["member"] = .string(member)
      fields["purpose"] = .string(purpose.rawValue)
      fields["text"] = .string(text)
    case .notify(let team, let text):
      fields["team"] = .string(team)
      fields["text"] = .string(text)
    case .route(let team, let reason):
      fields["team"] = .string(team)
      fields["reason"] = .string(reason)
    case .tag(let name): fields["name"] = .string(name)
    case .score(let member, let points, let reason):
      fields["member"] = .string(member)
      fields["points"] = .integer(Int64(points))
      fields["reason"] = .string(reason)
    case .mute(let member, let minutes, let reason):
      fields["member"] = .string(member)
      fields["minutes"] = .integer(Int64(minutes))
      fields["reason"] = .string(reason)
    case .restore(let message): fields["message"] = .string(message)
    case .liftMute(let member): fields["member"] = .string(member)
    case .schedule(let name, let after, let data):
      fields["name"] = .string(name)
      fields["after_minutes"] = .integer(Int64(after))
      var table: [LuaValue: LuaValue] = [:]
      for (key, value) in data {
        table[.string(key)] =
          switch value {
          case .string(let s): .string(s)
          case .integer(let i): .integer(i)
          case .number(let d): .number(d)
          case .boolean(let b): .boolean(b)
          }
      }
      fields["data"] = .map(table)
    }
    return .map(fields)
  }
}
