import Foundation
import Logging
import ParleyLua

extension Worker {
  /// Loads the read-only views every plugin's rules see events through
  /// (`contextViewsSource`), once per worker, and returns their `enter`.
  static func loadContextViews(into lua: LuaState) throws(ParleyError) -> LuaReference {
    do {
      let chunk = try lua.load(
        contextViewsSource, chunkName: "parley/context-views.lua", in: lua.makeEnvironment())
      defer { lua.release(chunk) }
      return try lua.call(chunk, arguments: { _ in 0 }, results: { _, _ in lua.popReference() })
    } catch {
      throw .pluginsFailed([
        PluginProblem(plugin: "-", file: "parley/context-views.lua", message: error.description)
      ])
    }
  }

  /// Loads one plugin into its own environment: the rule API first, then
  /// each rule file, then reads back the rules they declared.
  static func load(
    _ source: PluginSource, into lua: LuaState
  ) throws(PluginProblems) -> LoadedPlugin {
    let name = source.manifest.name
    let environment = lua.makeEnvironment()
    let api: LuaReference
    do {
      let chunk = try lua.load(ruleAPISource, chunkName: "parley/rule-api.lua", in: environment)
      defer { lua.release(chunk) }
      api = try lua.call(chunk, arguments: { _ in 0 }, results: { _, _ in lua.popReference() })
    } catch {
      throw PluginProblems(problems: [
        PluginProblem(plugin: name, file: "parley/rule-api.lua", message: error.description)
      ])
    }
    var problems: [PluginProblem] = []
    for file in source.rules {
      do {
        try lua.run(file.text, chunkName: file.path, in: environment)
      } catch {
        problems.append(
          PluginProblem(
            plugin: name, file: error.chunk ?? file.path, line: error.line, message: error.message))
      }
    }
    guard problems.isEmpty else { throw PluginProblems(problems: problems) }

    let stack = lua.stack
    let base = stack.top
    defer { stack.setTop(base) }
    stack.push(api)
    lua.release(api)
    stack.rawField("rules", of: -1)
    let count = stack.rawLength(at: -1)
    var rules: [LoadedRule] = []
    for i in stride(from: 1, through: count, by: 1) {
      stack.rawIndex(i, of: -1)
      let id = field("id", stack) ?? "?"
      let location = field("location", stack) ?? source.manifestFile.path
      var events: Set<Event.Kind> = []
      stack.rawField("events", of: -1)
      for e in stride(from: 1, through: stack.rawLength(at: -1), by: 1) {
        stack.rawIndex(e, of: -1)
        if let kind = stack.string(at: -1).flatMap(Event.Kind.init(rawValue:)) {
          events.insert(kind)
        }
        stack.pop()
      }
      stack.pop()
      stack.rawField("priority", of: -1)
      let priority = Int(stack.integer(at: -1) ?? 0)
      stack.pop()
      stack.rawField("check", of: -1)
      let check = lua.popReference()
      let provenance = Provenance(plugin: name, rule: id, location: location)
      let unlisted = events.subtracting(source.manifest.events)
      if !unlisted.isEmpty {
        problems.append(
          PluginProblem(
            plugin: name, file: location.chunk ?? location, line: location.line,
            message:
              "rule '\(id)' listens to \(unlisted.map(\.rawValue).sorted().joined(separator: ", ")), "
              + "which plugin.lua's `events` does not list; add it there"))
      }
      rules.append(
        LoadedRule(
          id: id, title: field("title", stack) ?? LoadedRule.title(from: id), events: events,
          priority: priority, description: field("description", stack) ?? "",
          check: check, source: provenance, manifest: source.manifest))
      stack.pop()
    }
    if rules.isEmpty {
      problems.append(
        PluginProblem(
          plugin: name, file: source.manifestFile.path,
          message: "the plugin declares no rules; its rule files must call rule { ... }"))
    }
    guard problems.isEmpty else { throw PluginProblems(problems: problems) }
    return LoadedPlugin(source: source, environment: environment, rules: rules)
  }

  private static func field(_ key: StaticString, _ stack: LuaStack) -> String? {
    stack.rawField(key, of: -1)
    defer { stack.pop() }
    return stack.string(at: -1)
  }

  /// `parley.now`, `parley.log` and the plugin's `state`.
  static func registerHostFunctions(
    in lua: LuaState, scope: RuleScope, pluginState: any PluginStateStore, logger: Logger
  ) {
    lua.register("now", in: "parley") { _ in
      .integer(Int64(scope.now.timeIntervalSince1970.rounded(.down)))
    }
    // Private to the rule API, which takes these out of `parley` before any rule loads.
    lua.registerViewIndex("view_index", in: "parley")
    lua.registerRaw("context_thread", in: "parley") { arguments in
      if let thread = scope.thread {
        arguments.stack.pushThread(thread)
      } else {
        arguments.stack.pushNil()
      }
      return 1
    }
    lua.registerRaw("context_community", in: "parley") { arguments in
      arguments.stack.pushCommunity(id: scope.community, name: scope.communityName)
      return 1
    }
    lua.registerRaw("recent_messages", in: "parley") { arguments in
      arguments.stack.pushMessages(scope.recentMessages)
      return 1
    }
    lua.registerRaw("thread_participants", in: "parley") { arguments in
      arguments.stack.pushList(scope.thread?.participants ?? [])
      return 1
    }
    lua.registerRaw("member_consents", in: "parley") { arguments in
      arguments.stack.pushConsents(scope.consents)
      return 1
    }
    lua.registerRaw("member_history", in: "parley") { arguments in
      arguments.stack.pushHistory(scope.history)
      return 1
    }
    lua.register("log", in: "parley") { arguments in
      var parts: [String] = []
      for i in stride(from: Int32(1), through: arguments.count, by: 1) {
        parts.append(arguments.stack.string(at: i) ?? "\((try? arguments.value(i)) ?? .nil)")
      }
      logger.info(
        "\(parts.joined(separator: " "))",
        metadata: ["plugin": "\(scope.plugin)", "community": "\(scope.community)"])
      return .nil
    }
    func key(_ arguments: LuaArguments) throws -> StateKey {
      StateKey(community: scope.community, plugin: scope.plugin, key: try arguments.string(1))
    }
    func expiry(_ arguments: LuaArguments, at position: Int32) throws -> Date? {
      guard arguments.isPresent(position) else { return nil }
      return scope.now.addingTimeInterval(try arguments.number(position) * 60)
    }
    lua.register("get", in: "state") { arguments in
      try pluginState.value(try key(arguments), at: scope.now)?.lua ?? .nil
    }
    lua.register("set", in: "state") { arguments in
      let value = try arguments.value(2)
      guard value == .nil || TimerValue(lua: value) != nil else {
        throw HostFunctionError.message(
          "values must be strings, numbers or booleans, not \(value.typeName)")
      }
      try pluginState.set(
        try key(arguments), to: TimerValue(lua: value), expires: try expiry(arguments, at: 3))
      return .nil
    }
    lua.register("incr", in: "state") { arguments in
      let by = arguments.isPresent(2) ? try arguments.integer(2) : 1
      return .integer(
        try pluginState.increment(
          try key(arguments), by: by, expires: try expiry(arguments, at: 3), at: scope.now))
    }
    lua.register("delete", in: "state") { arguments in
      try pluginState.set(try key(arguments), to: nil, expires: nil)
      return .nil
    }
  }
}
