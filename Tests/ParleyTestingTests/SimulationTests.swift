import Foundation
import Parley
import ParleyTesting
import Testing

@Suite("parley simulate: transcripts")
struct SimulationTests {
  static let community = """
    { "community": { "id": "c", "name": "C", "plugins": [ { "name": "sample" } ] },
      "members": [ { "id": "ada", "name": "Ada", "role": "member", "affiliation": null,
                     "joinedAt": "2025-01-01T00:00:00Z", "trust": 1,
                     "consents": { "support": true, "news": false, "offers": false } } ] }
    """

  @Test("a malformed line is an error naming its line number, before anything runs")
  func malformed() throws {
    let text = """
      {"at":"2025-06-02T09:00:00Z","kind":"post","id":"m1","thread":"t1","author":"ada","text":"hi"}

      {"at":"2025-06-02T09:01:00Z","kind":"post","id":"m2" "thread":"t1"}
      """
    #expect {
      try Transcript.parse(text, file: "talk.jsonl")
    } throws: { error in
      guard let error = error as? TranscriptError else { return false }
      return error.line == 3 && error.file == "talk.jsonl"
        && error.description.hasPrefix("talk.jsonl:3: ")
    }
    #expect(throws: TranscriptError.self) {
      try Transcript.parse(#"{"at":"2025-06-02T09:00:00Z","kind":"shout"}"#, file: "t")
    }
  }

  @Test("a transcript plays through the engine, line by line, with totals per verdict and rule")
  func plays() async throws {
    let root = try writePlugin(rules: shoutingRules, spec: "")
    let setupURL = root.appendingPathComponent("community.json")
    try Self.community.write(to: setupURL, atomically: true, encoding: .utf8)
    let transcript = try Transcript.parse(
      """
      {"at":"2025-06-02T09:00:00Z","kind":"post","id":"m1","thread":"t1","title":"Hi","author":"ada","text":"HELLO ALL"}
      {"at":"2025-06-02T09:05:00Z","kind":"post","id":"m2","thread":"t1","author":"ada","text":"sorry, hello"}
      {"at":"2025-06-02T09:06:00Z","kind":"edit","id":"m9","text":"nope"}
      """, file: "talk.jsonl")
    let clock = ManualClock(transcript.lines[0].line.at)
    let parley = try await Parley(plugins: root, store: InMemoryStore(), clock: clock)
    let player = TranscriptPlayer(
      parley: parley, clock: clock, setup: try CommunityFile.load(setupURL.path))
    var report = SimulationReport()
    try await player.prepare(for: transcript)
    await #expect {
      try await player.play(transcript) { report.record($0) }
    } throws: { error in
      (error as? TranscriptError)?.line == 3
        && (error as? TranscriptError)?.message.contains("no message 'm9'") == true
    }
    #expect(report.steps.map(\.decision.verdict) == [.flag, .allow])
    #expect(report.steps.first?.line == 1)
    #expect(report.totals.contains("2 events. Verdicts: allow 1, flag 1, hold 0, remove 0"))
    #expect(report.totals.contains("1  sample/shouting"))
    #expect(report.jsonLine(report.steps[0]).contains(#""verdict":"flag""#))
  }
}
