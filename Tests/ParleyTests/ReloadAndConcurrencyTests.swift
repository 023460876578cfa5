import Foundation
import Parley
import Testing

@Suite("Reload and concurrency")
struct ReloadAndConcurrencyTests {
  static func tagging(_ label: String) -> PluginFixture {
    PluginFixture(
      name: "label",
      files: [
        "rules.lua": """
        rule { id = "label", on = "message_posted", description = "d", check = function() return tag("\(label)") end }
        """
      ])
  }

  @Test("a reload that fails keeps the old revision and names file and line")
  func failedReload() async throws {
    let host = try await TestHost.make([Self.tagging("v1")])
    let before = host.parley.revision
    try TestHost.write(
      [
        PluginFixture(
          name: "label",
          files: [
            "rules.lua":
              "rule { id = 'x', on = 'message_posted',\n check = function() if then end }"
          ])
      ], to: host.folder)
    do {
      try await host.parley.reload()
      Issue.record("the broken reload was accepted")
    } catch {
      guard case .pluginsFailed(let problems) = error else { throw error }
      let problem = try #require(problems.first)
      #expect(problem.plugin == "label")
      #expect(problem.file.hasSuffix("label/rules.lua"))
      #expect(problem.line == 2)
      #expect(problem.message.contains("unexpected symbol near 'then'"))
    }
    #expect(host.parley.revision == before)
    let decision = try await host.post("still works")
    #expect(decision.effects.map(\.effect) == [.tag("v1")])
    #expect(decision.revision == before)
  }

  @Test("a plugins path that is missing or a file says which, and what to pass instead")
  func unusableFolder() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "parley-\(UUID().uuidString)")
    let file = folder.appendingPathComponent("plugin.lua")
    for (path, expected) in [
      (folder, "there is no such folder"), (file, "this is a file, not a folder"),
    ] {
      if path == file {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "rule {}".write(to: file, atomically: true, encoding: .utf8)
      }
      do {
        _ = try PluginCatalog.load(from: path)
        Issue.record("\(path.path) loaded")
      } catch {
        guard case .pluginsFailed(let problems) = error else { throw error }
        #expect(problems.count == 1)
        #expect(problems.first?.message.hasPrefix(expected) == true, "\(problems)")
        #expect(problems.first?.file.hasSuffix(path.lastPathComponent) == true)
      }
    }
  }

  @Test("a reload under load loses no event, and each runs on one revision")
  func reloadUnderLoad() async throws {
    let host = try await TestHost.make([Self.tagging("v1")])
    let old = host.parley.revision
    for t in 0..<10 {
      try await host.parley.openThread(
        DialogueThread(id: "r\(t)", community: TestHost.community, title: "t", opener: "ada"))
    }
    var tasks: [Task<Decision, any Error>] = []
    for i in 0..<200 {
      if i == 100 {
        try TestHost.write([Self.tagging("v2")], to: host.folder)
        try await host.parley.reload()
      }
      tasks.append(host.parley.submit(.messagePosted(host.message("\(i)", in: "r\(i % 10)"))))
    }
    let new = host.parley.revision
    #expect(new != old)
    var seen: [String: Int] = [:]
    for task in tasks {
      let decision = try await task.value
      let label: Effect = decision.revision == old ? .tag("v1") : .tag("v2")
      #expect(decision.effects.map(\.effect) == [label])
      seen[decision.revision, default: 0] += 1
    }
    #expect(seen.values.reduce(0, +) == 200)
    #expect(seen[new] ?? 0 >= 100)
    #expect(try await host.store.decisions(community: TestHost.community, limit: 1000).count == 200)
  }

  @Test("1,000 events over 50 threads run concurrently, each thread in order")
  func threadOrder() async throws {
    let host = try await TestHost.make(
      [
        PluginFixture(
          name: "sequence",
          files: [
            "rules.lua": """
            rule { id = "seq", on = "message_posted", description = "d",
                   check = function(event)
                     local n = state.incr("seq:" .. event.message.thread)
                     return notify("seq", tostring(n))
                   end }
            """
          ])
      ], workers: 4)
    for t in 0..<50 {
      try await host.parley.openThread(
        DialogueThread(id: "s\(t)", community: TestHost.community, title: "t", opener: "ada"))
    }
    var tasks: [(thread: Int, index: Int, task: Task<Decision, any Error>)] = []
    for i in 0..<1000 {
      let thread = i % 50
      let index = i / 50 + 1
      tasks.append(
        (
          thread, index,
          host.parley.submit(.messagePosted(host.message("\(index)", in: "s\(thread)")))
        ))
    }
    for (thread, index, task) in tasks {
      let decision = try await task.value
      #expect(
        decision.effects.map(\.effect) == [.notify(team: "seq", text: "\(index)")],
        "thread s\(thread), message \(index)")
    }
    let members = try #require(try await host.store.member("ada"))
    #expect(members.history.posts == 1000)
  }
}
