/// What `plugin.lua` declares about a plugin.
public struct PluginManifest: Sendable, Hashable {
  /// What a failing rule counts as.
  public enum FailureMode: String, Sendable, Codable, Hashable {
    /// A failing rule counts as `allow`: the content goes through.
    case open
    /// A failing rule counts as `hold`: the content waits for a moderator.
    case closed

    var verdict: Verdict { self == .open ? .allow : .hold }
  }

  public var name: String
  public var version: String
  public var description: String
  /// Every event kind any of the plugin's rules listens to.
  public var events: [Event.Kind]
  public var failureMode: FailureMode
  /// The plugin's settings, in declaration order (sorted by name).
  public var settings: [SettingSpec]
  /// Rule files, relative to the plugin's folder.
  public var ruleFiles: [String]
}

/// A setting a plugin declares, with its type and default.
public struct SettingSpec: Sendable, Hashable {
  public enum Kind: String, Sendable, Hashable, CaseIterable {
    case string, integer, number, boolean, list
  }

  public var name: String
  public var kind: Kind
  public var defaultValue: SettingValue
  public var description: String

  /// Whether a value fits this setting's type.
  public func accepts(_ value: SettingValue) -> Bool {
    switch (kind, value) {
    case (.string, .string), (.integer, .integer), (.number, .number), (.number, .integer),
      (.boolean, .boolean), (.list, .list):
      true
    default: false
    }
  }
}

/// Something wrong with a plugin, located in its files.
public struct PluginProblem: Error, Sendable, Hashable, CustomStringConvertible {
  public var plugin: String
  /// The file, as shown to people (e.g. `plugins/civility/rules.lua`).
  public var file: String
  public var line: Int?
  public var message: String

  public init(plugin: String, file: String, line: Int? = nil, message: String) {
    self.plugin = plugin
    self.file = file
    self.line = line
    self.message = message
  }

  public var description: String {
    "\(file)\(line.map { ":\($0)" } ?? ""): \(message) [plugin \(plugin)]"
  }
}
