import ParleyLua

/// A mistake in `plugin.lua`, in the author's terms.
struct ManifestError: Error {
  var message: String
  /// The manifest field at fault, to point at its line.
  var field: String?

  init(message: String, field: String? = nil) {
    self.message = message
    self.field = field
  }
}

extension PluginManifest {
  /// Reads the table `plugin.lua` returned.
  init(lua value: LuaValue, folderName: String) throws(ManifestError) {
    guard case .map(let fields) = value else {
      throw ManifestError(
        message:
          "plugin.lua must return a table like { name = \"\(folderName)\", version = \"1.0.0\", ... }"
      )
    }
    func text(_ key: String, required: Bool = true) throws(ManifestError) -> String? {
      switch fields[.string(key)] {
      case .string(let s)?: return s.string
      case nil where !required: return nil
      case nil: throw ManifestError(message: "plugin.lua is missing `\(key)` (a string)")
      case let other?:
        throw ManifestError(message: "`\(key)` must be a string, not \(other.typeName)")
      }
    }
    name = try text("name") ?? ""
    guard name == folderName else {
      throw ManifestError(
        message: "name \"\(name)\" must match the plugin's folder name \"\(folderName)\"")
    }
    version = try text("version") ?? ""
    description = try text("description") ?? ""

    events = []
    let eventNames: [LuaValue]
    switch fields[.string("events")] {
    case .array(let items)?: eventNames = items
    case .string(let one)?: eventNames = [.string(one)]
    default:
      throw ManifestError(
        message: "plugin.lua needs `events`, a list of event kinds such as { \"message_posted\" }",
        field: "events")
    }
    for item in eventNames {
      guard let raw = item.stringValue, let kind = Event.Kind(rawValue: raw) else {
        throw ManifestError(
          message: "unknown event \(item) in `events`; known: "
            + Event.Kind.allCases.map(\.rawValue).joined(separator: ", "), field: "events")
      }
      events.append(kind)
    }

    switch try text("failure", required: false) {
    case nil, "open"?: failureMode = .open
    case "closed"?: failureMode = .closed
    case let other?:
      throw ManifestError(
        message: "`failure` must be \"open\" or \"closed\", not \"\(other)\"", field: "failure")
    }

    settings = []
    switch fields[.string("settings")] {
    case nil: break
    case .map(let declared)?:
      for (key, spec) in declared {
        guard let settingName = key.stringValue else {
          throw ManifestError(message: "setting names must be strings")
        }
        settings.append(try SettingSpec(name: settingName, lua: spec))
      }
      settings.sort { $0.name < $1.name }
    case .array(let items)? where items.isEmpty: break
    case let other?:
      throw ManifestError(message: "`settings` must be a table, not \(other.typeName)")
    }

    switch fields[.string("rules")] {
    case nil: ruleFiles = ["rules.lua"]
    case .array(let items)?:
      ruleFiles = try items.map { (item) throws(ManifestError) -> String in
        guard let file = item.stringValue, file.hasSuffix(".lua"), !file.contains("..") else {
          throw ManifestError(
            message: "`rules` must list .lua files inside the plugin folder, got \(item)")
        }
        return file
      }
    case .string(let one)?: ruleFiles = [one.string ?? ""]
    case let other?:
      throw ManifestError(message: "`rules` must be a list of files, not \(other.typeName)")
    }
  }
}

extension SettingSpec {
  init(name: String, lua: LuaValue) throws(ManifestError) {
    self.name = name
    guard case .map = lua else {
      throw ManifestError(
        message:
          "setting `\(name)` must be a table like { type = \"integer\", default = 3, description = \"...\" }"
      )
    }
    guard let kindName = lua["type"].stringValue, let kind = Kind(rawValue: kindName) else {
      throw ManifestError(
        message: "setting `\(name)` needs a `type`: "
          + Kind.allCases.map(\.rawValue).joined(separator: ", "), field: name)
    }
    self.kind = kind
    description = lua["description"].stringValue ?? ""
    guard let value = SettingValue(lua: lua["default"], as: kind) else {
      throw ManifestError(
        message: "setting `\(name)` needs a `default` of type \(kindName)", field: name)
    }
    defaultValue = value
  }
}

extension SettingValue {
  /// Reads a Lua value as a setting of a given type.
  init?(lua: LuaValue, as kind: SettingSpec.Kind) {
    switch (kind, lua) {
    case (.string, .string(let s)): self = .string(s.string ?? "")
    case (.integer, .integer(let i)): self = .integer(Int(i))
    case (.number, .integer(let i)): self = .number(Double(i))
    case (.number, .number(let d)): self = .number(d)
    case (.boolean, .boolean(let b)): self = .boolean(b)
    case (.list, .array(let items)):
      var strings: [String] = []
      for item in items {
        guard let s = item.stringValue else { return nil }
        strings.append(s)
      }
      self = .list(strings)
    case (.list, .map(let m)) where m.isEmpty: self = .list([])
    default: return nil
    }
  }
}
