/// A space with its own members, settings and enabled plugins.
public struct Community: Sendable, Codable, Hashable, Identifiable {
  public var id: String
  public var name: String
  /// The plugins this community runs, with its own setting overrides.
  public var plugins: [EnabledPlugin]
  /// How members may appeal decisions.
  public var appeals: AppealPolicy

  public init(
    id: String, name: String, plugins: [EnabledPlugin] = [], appeals: AppealPolicy = AppealPolicy()
  ) {
    self.id = id
    self.name = name
    self.plugins = plugins
    self.appeals = appeals
  }

  /// `plugins` may be left out: the community then runs none; `appeals`
  /// may be left out: the default policy applies.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    id = try container.decode(String.self, forKey: .id)
    name = try container.decode(String.self, forKey: .name)
    plugins = try container.decodeIfPresent([EnabledPlugin].self, forKey: .plugins) ?? []
    appeals = try container.decodeIfPresent(AppealPolicy.self, forKey: .appeals) ?? AppealPolicy()
  }

  /// The community's overrides for one plugin, or nil when it does not run it.
  public func enabled(_ plugin: String) -> EnabledPlugin? {
    plugins.first { $0.name == plugin }
  }
}

/// A plugin a community has switched on, with the settings it changed.
public struct EnabledPlugin: Sendable, Codable, Hashable {
  public var name: String
  /// Overrides of the manifest's defaults, by setting name.
  public var settings: [String: SettingValue]
  /// The community's own words for members when this plugin's rules hold,
  /// remove or flag their post; replaces the rules' notices.
  public var notice: String?

  public init(name: String, settings: [String: SettingValue] = [:], notice: String? = nil) {
    self.name = name
    self.settings = settings
    self.notice = notice
  }

  /// Settings and notice may be left out: the manifest's defaults then apply.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    name = try container.decode(String.self, forKey: .name)
    settings = try container.decodeIfPresent([String: SettingValue].self, forKey: .settings) ?? [:]
    notice = try container.decodeIfPresent(String.self, forKey: .notice)
  }
}

/// The value of a plugin setting.
public enum SettingValue: Sendable, Codable, Hashable {
  case string(String)
  case integer(Int)
  case number(Double)
  case boolean(Bool)
  case list([String])

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let value = try? container.decode(Bool.self) {
      self = .boolean(value)
    } else if let value = try? container.decode(Int.self) {
      self = .integer(value)
    } else if let value = try? container.decode(Double.self) {
      self = .number(value)
    } else if let value = try? container.decode(String.self) {
      self = .string(value)
    } else {
      self = .list(try container.decode([String].self))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .string(let value): try container.encode(value)
    case .integer(let value): try container.encode(value)
    case .number(let value): try container.encode(value)
    case .boolean(let value): try container.encode(value)
    case .list(let value): try container.encode(value)
    }
  }
}
