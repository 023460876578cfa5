import Foundation
import Parley
import ParleyLua
import ParleyStoreSuite

/// A plugin folder written for one test.
struct PluginFixture {
  var name: String
  var events: [String] = ["message_posted"]
  var failure = "open"
  var settings = ""
  var files: [String: String]

  var manifest: String {
    """
    return {
      name = "\(name)", version = "1.0.0", description = "test plugin",
      events = { \(events.map { "\"\($0)\"" }.joined(separator: ", ")) },
      failure = "\(failure)",
      settings = { \(settings) },
      rules = { \(files.keys.sorted().map { "\"\($0)\"" }.joined(separator: ", ")) },
    }
    """
  }
}

/// A temporary plugin folder, a community with members and a thread, and a
/// Parley over an in-memory store with a manual clock.
struct TestHost {
  let folder: URL
  let parley: Parley
  let store: InMemoryStore
  let clock: ManualClock
  /// Removes `folder` once the test is done with the host.
  let remover: FolderRemover
  static let community = "c1"

  static func write(_ plugins: [PluginFixture], to folder: URL) throws {
    let fileManager = FileManager.default
    try? fileManager.removeItem(at: folder)
    for plugin in plugins {
      let dir = folder.appendingPathComponent(plugin.name)
      try fileManager.createDirectory(at: dir, withIntermediateDirectories: true)
      try plugin.manifest.write(
        to: dir.appendingPathComponent("plugin.lua"), atomically: true, encoding: .utf8)
      for (file, text) in plugin.files {
        try text.write(to: dir.appendingPathComponent(file), atomically: true, encoding: .utf8)
      }
    }
  }

  static func make(
    _ plugins: [PluginFixture], workers: Int = 2,
    budget: LuaBudget = LuaBudget(instructions: 1_000_000, time: .seconds(2)),
    settings: [String: [String: SettingValue]] = [:],
    pluginState: any PluginStateStore = InMemoryPluginState()
  ) async throws -> TestHost {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("parley-tests-\(UUID().uuidString)")
    try write(plugins, to: folder)
    let store = InMemoryStore(pluginState: pluginState)
    let clock = ManualClock()
    let parley = try await Parley(
      plugins: folder, store: store, clock: clock,
      configuration: .init(workers: workers, budget: budget))
    try await parley.createCommunity(
      Community(
        id: community, name: "Test community",
        plugins: plugins.map { EnabledPlugin(name: $0.name, settings: settings[$0.name] ?? [:]) }))
    for (id, consents) in [
      ("ada", Consents(support: true, news: true, offers: true)),
      ("bob", Consents(support: true, news: false, offers: false)),
    ] {
      try await parley.addMember(
        Member(
          id: id, community: community, displayName: id.capitalized, joinedAt: clock.now,
          trustLevel: 1,
          consents: consents))
    }
    try await parley.openThread(
      DialogueThread(id: "t1", community: community, title: "Hello", opener: "ada"))
    return TestHost(
      folder: folder, parley: parley, store: store, clock: clock, remover: FolderRemover(folder))
  }

  private static let counter = Counter()

  func post(_ text: String, by author: String = "ada", in thread: String = "t1", id: String? = nil)
    async throws -> Decision
  {
    try await parley.handle(.messagePosted(message(text, by: author, in: thread, id: id)))
  }

  func message(
    _ text: String, by author: String = "ada", in thread: String = "t1", id: String? = nil
  )
    -> Message
  {
    Message(
      id: id ?? "m\(TestHost.counter.next())", thread: thread, author: author, text: text,
      createdAt: clock.now)
  }
}

/// Message ids for tests. NSLock so ThreadSanitizer sees the ordering.
final class Counter: @unchecked Sendable {
  private var value = 0
  private let lock = NSLock()

  func next() -> Int {
    lock.lock()
    defer { lock.unlock() }
    value += 1
    return value
  }
}
