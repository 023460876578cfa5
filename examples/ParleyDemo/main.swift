// The demo host: builds the community in examples/community.json, loads the
// plugins folder, plays examples/conversation.jsonl through Parley, and
// prints every event with its decision and explanation.
//
//   swift run ParleyDemo [--plugins DIR] [--community FILE] [--conversation FILE]

import Foundation
import Logging
import Parley

var options = [
  "--plugins": "plugins", "--community": "examples/community.json",
  "--conversation": "examples/conversation.jsonl",
]
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
  guard options[flag] != nil, let value = arguments.popFirst() else {
    print("usage: ParleyDemo [--plugins DIR] [--community FILE] [--conversation FILE]")
    exit(2)
  }
  options[flag] = value
}

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("demo: \(message)\n".utf8))
  exit(1)
}

let communityPath = options["--community"]!
let conversationPath = options["--conversation"]!
let setup: CommunityFile
do {
  setup = try JSONDecoder.script.decode(
    CommunityFile.self, from: Data(contentsOf: URL(fileURLWithPath: communityPath)))
} catch {
  fail("\(communityPath): \(error)")
}
guard let conversation = try? String(contentsOfFile: conversationPath, encoding: .utf8) else {
  fail("\(conversationPath): cannot read it; pass --conversation FILE")
}
var lines: [(number: Int, line: ScriptLine)] = []
for (index, text) in conversation.split(separator: "\n", omittingEmptySubsequences: false)
  .enumerated()
where !text.trimmingCharacters(in: .whitespaces).isEmpty {
  do {
    lines.append((index + 1, try JSONDecoder.script.decode(ScriptLine.self, from: Data(text.utf8))))
  } catch {
    fail(
      "\(conversationPath):\(index + 1): not a conversation line (\(error)); see docs in examples/README.md"
    )
  }
}

LoggingSystem.bootstrap { label in
  var handler = StreamLogHandler.standardError(label: label)
  handler.logLevel = .warning
  return handler
}

let clock = ManualClock(lines.first?.line.at ?? Date())
let store = InMemoryStore()
let parley: Parley
do {
  parley = try await Parley(
    plugins: URL(fileURLWithPath: options["--plugins"]!), store: store, clock: clock)
} catch {
  fail("\(error)")
}

let time = DateFormatter()
time.dateFormat = "MMM d HH:mm"
time.timeZone = TimeZone(identifier: "UTC")

func show(_ headline: String, _ decision: Decision) {
  print("[\(time.string(from: clock.now))] \(headline)")
  for line in decision.explanation.split(separator: "\n") { print("    \(line)") }
}

func fireTimers() async throws {
  for decision in try await parley.fireDueTimers() { show(decision.event.summary, decision) }
}

try await parley.createCommunity(setup.community)
let joinsLater = Set(lines.compactMap { $0.line.kind == .join ? $0.line.member : nil })
for entry in setup.members {
  let member = Member(
    id: entry.id, community: setup.community.id, displayName: entry.name, role: entry.role,
    affiliation: entry.affiliation, joinedAt: entry.joinedAt, trustLevel: entry.trust,
    consents: entry.consents)
  if !joinsLater.contains(entry.id) { try await parley.addMember(member) }
}
print(
  "Parley demo: \(setup.community.name), \(setup.members.count) members, plugins revision \(parley.revision)\n"
)

var verdicts: [Verdict: Int] = [:]
for (number, line) in lines {
  clock.set(line.at)
  try await fireTimers()
  do {
    let decision: Decision
    let headline: String
    switch line.kind {
    case .join:
      let id = try line.require(line.member, "member")
      guard let entry = setup.members.first(where: { $0.id == id }) else {
        throw ScriptError("member '\(id)' is not in \(communityPath)")
      }
      decision = try await parley.join(
        Member(
          id: id, community: setup.community.id, displayName: entry.name, role: entry.role,
          affiliation: entry.affiliation, joinedAt: line.at, trustLevel: entry.trust,
          consents: entry.consents))
      headline = "\(entry.name) joined"
    case .post:
      let thread = try line.require(line.thread, "thread")
      let author = try line.require(line.author, "author")
      if try await store.thread(thread) == nil {
        try await parley.openThread(
          DialogueThread(
            id: thread, community: setup.community.id, title: line.title ?? thread, opener: author))
      }
      let text = try line.require(line.text, "text")
      decision = try await parley.handle(
        .messagePosted(
          Message(
            id: try line.require(line.id, "id"), thread: thread, author: author, text: text,
            createdAt: line.at, replyTo: line.replyTo, sponsored: line.sponsored ?? false)))
      headline = "\(author) in \(thread): \"\(text)\""
    case .edit:
      let id = try line.require(line.id, "id")
      guard var message = try await store.message(id) else {
        throw ScriptError("no message '\(id)' yet")
      }
      message.text = try line.require(line.text, "text")
      decision = try await parley.handle(.messageEdited(message))
      headline = "\(message.author) edited \(id): \"\(message.text)\""
    case .report:
      let report = Report(
        message: try line.require(line.message, "message"),
        reporter: try line.require(line.reporter, "reporter"), reason: line.reason ?? "")
      decision = try await parley.handle(.reportFiled(report))
      headline = "\(report.reporter) reported \(report.message): \(report.reason)"
    case .consent:
      let member = try line.require(line.member, "member")
      let purpose = try line.require(line.purpose, "purpose")
      let granted = try line.require(line.granted, "granted")
      decision = try await parley.setConsent(member: member, purpose: purpose, granted: granted)
      headline = "\(member) \(granted ? "opted in to" : "opted out of") \(purpose.rawValue)"
    case .advance:
      clock.advance(minutes: try line.require(line.minutes, "minutes"))
      try await fireTimers()
      continue
    case .review:
      let message = try line.require(line.message, "message")
      let outcome = try line.require(line.outcome, "outcome")
      let moderator = try line.require(line.moderator, "moderator")
      decision = try await parley.resolveReview(
        message: message, outcome: outcome, moderator: moderator)
      headline = "\(moderator) \(outcome.rawValue) \(message)"
    }
    verdicts[decision.verdict, default: 0] += 1
    show(headline, decision)
  } catch {
    fail("\(conversationPath):\(number): \(error)")
  }
}
try await fireTimers()

print(
  "\nVerdicts: "
    + Verdict.allCases.map { "\($0.rawValue) \(verdicts[$0] ?? 0)" }.joined(separator: ", "))
let held = try await store.pendingReviews(community: setup.community.id)
print(
  "Still waiting for a moderator: \(held.isEmpty ? "nothing" : held.map(\.message).joined(separator: ", "))"
)
var scores: [(String, Int)] = []
for entry in setup.members {
  if let member = try await store.member(entry.id), member.score != 0 {
    scores.append((member.displayName, member.score))
  }
}
print(
  "Engagement: " + scores.sorted { $0.1 > $1.1 }.map { "\($0.0) \($0.1)" }.joined(separator: ", "))
