import ParleyLua

/// What one rule proposed, before the core combines and checks it.
enum Proposal: Sendable, Hashable {
  case verdict(Verdict, reason: String, notice: String?)
  case effect(Effect)
}

/// How one rule's call ended.
enum RuleOutcome: Sendable {
  case proposed([Proposal])
  case failed(LuaError)
}

/// A rule returned something that is not a proposal.
struct ProposalError: Error {
  var message: String
}

extension Proposal {
  /// Reads a table made by one of the rule API's helpers straight off the
  /// stack (no intermediate ``LuaValue``: this runs for every proposal).
  /// Defaults that need the event (who a reply goes to, whose score) are
  /// filled in here.
  ///
  /// A static function, not an initializer: an initializer takes its
  /// arguments as its own, so every call copied the event's whole context
  /// (a retain and a release per field); a function borrows them.
  static func read(
    stack: LuaStack, at index: Int32, event: Event, context: EventContext
  ) throws(ProposalError) -> Proposal {
    guard stack.type(at: index) == .table, let kind = Self.text(stack, "kind", index) else {
      throw ProposalError(
        message: "returned a \(stack.type(at: index).name) where a proposal was expected; "
          + "return allow/flag/hold/remove(reason) or an effect such as tag(name)")
    }
    func text(_ key: StaticString) throws(ProposalError) -> String {
      guard let s = Self.text(stack, key, index) else {
        throw ProposalError(
          message: "a \(kind) proposal without `\(key)`; build it with \(kind)(...)")
      }
      return s
    }
    func integer(_ key: StaticString) throws(ProposalError) -> Int {
      defer { stack.pop() }
      guard stack.rawField(key, of: index) == .number, let i = stack.integer(at: -1),
        let small = Int(exactly: i)
      else {
        throw ProposalError(message: "a \(kind) proposal without a whole-number `\(key)`")
      }
      return small
    }
    func purpose() throws(ProposalError) -> Purpose {
      guard let p = Purpose(rawValue: try text("purpose")) else {
        throw ProposalError(message: "unknown purpose in a \(kind) proposal")
      }
      return p
    }
    let subject = context.member?.id
    func member() throws(ProposalError) -> String {
      if let explicit = Self.text(stack, "member", index) { return explicit }
      guard let subject else {
        throw ProposalError(
          message: "\(kind) needs a member id here: this event is about no member")
      }
      return subject
    }
    switch kind {
    case "verdict":
      guard let verdict = Verdict(rawValue: try text("verdict")) else {
        throw ProposalError(message: "unknown verdict; use allow, flag, hold or remove")
      }
      return .verdict(
        verdict, reason: try text("reason"), notice: Self.text(stack, "notice", index))
    case "reply":
      let to: String? =
        switch event {
        case .messagePosted(let message), .messageEdited(let message): message.author
        default: context.storedMessage?.author ?? subject
        }
      return .effect(
        .reply(text: try text("text"), to: to, purpose: try purpose(), automated: true))
    case "contact":
      return .effect(
        .contact(member: try text("member"), purpose: try purpose(), text: try text("text")))
    case "notify": return .effect(.notify(team: try text("team"), text: try text("text")))
    case "route": return .effect(.route(team: try text("team"), reason: try text("reason")))
    case "tag": return .effect(.tag(try text("name")))
    case "score":
      return .effect(
        .score(member: try member(), points: try integer("points"), reason: try text("reason")))
    case "mute":
      return .effect(
        .mute(member: try member(), minutes: try integer("minutes"), reason: try text("reason")))
    case "schedule":
      var data: [String: TimerValue] = [:]
      stack.rawField("data", of: index)
      defer { stack.pop() }
      if case .map(let fields)? = try? stack.value(at: -1) {
        for (key, item) in fields {
          guard let name = key.stringValue, let scalar = TimerValue(lua: item) else {
            throw ProposalError(
              message: "schedule data may hold only strings, numbers and booleans under string keys"
            )
          }
          data[name] = scalar
        }
      }
      return .effect(
        .schedule(name: try text("name"), afterMinutes: try integer("after"), data: data))
    default:
      throw ProposalError(message: "unknown proposal kind '\(kind)'")
    }
  }

  /// A string field of the table at `index`, or nil; leaves the stack as it was.
  private static func text(_ stack: LuaStack, _ key: StaticString, _ index: Int32) -> String? {
    defer { stack.pop() }
    return stack.rawField(key, of: index) == .string ? stack.string(at: -1) : nil
  }
}

extension TimerValue {
  init?(lua: LuaValue) {
    switch lua {
    case .string(let s): self = .string(s.string ?? "")
    case .integer(let i): self = .integer(i)
    case .number(let d): self = .number(d)
    case .boolean(let b): self = .boolean(b)
    default: return nil
    }
  }

  var lua: LuaValue {
    switch self {
    case .string(let s): .string(s)
    case .integer(let i): .integer(i)
    case .number(let d): .number(d)
    case .boolean(let b): .boolean(b)
    }
  }
}
