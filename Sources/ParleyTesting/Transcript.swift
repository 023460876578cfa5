import Foundation
import Parley

/// A community file (`examples/community.json`): the community and its members.
public struct CommunityFile: Decodable, Sendable {
  public struct MemberEntry: Decodable, Sendable {
    public var id: String
    public var name: String
    public var role: Member.Role
    public var affiliation: String?
    public var joinedAt: Date
    public var trust: Int
    public var consents: Consents
  }

  public var community: Community
  public var members: [MemberEntry]

  /// Reads and decodes a community file.
  public static func load(_ path: String) throws(TranscriptError) -> CommunityFile {
    do {
      return try JSONDecoder.transcript.decode(
        CommunityFile.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    } catch {
      throw TranscriptError(file: path, line: nil, message: "not a community file: \(error)")
    }
  }

  /// The member an entry describes, joining at `joinedAt` when given.
  public func member(_ entry: MemberEntry, joinedAt: Date? = nil) -> Member {
    Member(
      id: entry.id, community: community.id, displayName: entry.name, role: entry.role,
      affiliation: entry.affiliation, joinedAt: joinedAt ?? entry.joinedAt, trustLevel: entry.trust,
      consents: entry.consents)
  }
}

/// One line of a conversation transcript (JSON Lines); see docs/transcripts.md.
public struct TranscriptLine: Decodable, Sendable {
  public enum Kind: String, Decodable, Sendable {
    case join, post, edit, report, consent, advance, review, appeal
    case resolveAppeal = "resolve_appeal"
  }

  public var at: Date
  public var kind: Kind
  public var id: String?
  public var member: String?
  public var thread: String?
  public var title: String?
  public var author: String?
  public var text: String?
  public var replyTo: String?
  public var sponsored: Bool?
  public var message: String?
  public var reporter: String?
  public var reason: String?
  public var purpose: Purpose?
  public var granted: Bool?
  public var minutes: Double?
  /// `approved`/`rejected` for a review, `upheld`/`overturned` for an appeal.
  public var outcome: String?
  public var moderator: String?
  public var note: String?

  enum CodingKeys: String, CodingKey {
    case at, kind, id, member, thread, title, author, text, sponsored, message, reporter, reason
    case purpose, granted, minutes, outcome, moderator, note
    case replyTo = "reply_to"
  }

  /// Reads one line of JSON.
  /// - Throws: ``TranscriptError`` (without file and line) saying what is wrong.
  public static func parse(_ text: String) throws(TranscriptError) -> TranscriptLine {
    do {
      return try JSONDecoder.transcript.decode(TranscriptLine.self, from: Data(text.utf8))
    } catch {
      throw TranscriptError(
        file: "", line: nil, message: "not a transcript line: \(Transcript.describe(error))")
    }
  }

  func outcome<T: RawRepresentable<String>>(_: T.Type, _ expected: String) throws(TranscriptError)
    -> T
  {
    let text = try require(outcome, "outcome")
    guard let value = T(rawValue: text) else {
      throw TranscriptError(
        file: "", line: nil, message: "\"outcome\" must be \(expected), not \"\(text)\"")
    }
    return value
  }

  func require<T>(_ value: T?, _ field: String) throws(TranscriptError) -> T {
    guard let value else {
      throw TranscriptError(
        file: "", line: nil, message: "a '\(kind.rawValue)' line needs \"\(field)\"")
    }
    return value
  }
}

/// A transcript problem, with its file and line.
public struct TranscriptError: Error, Sendable, CustomStringConvertible {
  public var file: String
  public var line: Int?
  public var message: String

  public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(message)" }
}

/// A parsed transcript: every line checked before anything runs.
public struct Transcript: Sendable {
  public var file: String
  public var lines: [(number: Int, line: TranscriptLine)]

  /// Parses a JSON Lines transcript. Blank lines are allowed; anything else
  /// that is not a valid line is an error naming its line number.
  public static func load(_ path: String) throws(TranscriptError) -> Transcript {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      throw TranscriptError(file: path, line: nil, message: "cannot read it as UTF-8 text")
    }
    return try parse(text, file: path)
  }

  public static func parse(_ text: String, file: String) throws(TranscriptError) -> Transcript {
    var lines: [(Int, TranscriptLine)] = []
    for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
    where !raw.trimmingCharacters(in: .whitespaces).isEmpty {
      do {
        lines.append((index + 1, try TranscriptLine.parse(String(raw))))
      } catch {
        throw TranscriptError(file: file, line: index + 1, message: error.message)
      }
    }
    return Transcript(file: file, lines: lines)
  }

  static func describe(_ error: any Error) -> String {
    switch error as? DecodingError {
    case .keyNotFound(let key, _)?: "missing \"\(key.stringValue)\""
    case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?:
      "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
    case .dataCorrupted(let context)?:
      "invalid JSON (\(context.underlyingError.map { "\($0)" } ?? context.debugDescription))"
    default: "\(error)"
    }
  }
}

/// One event of a transcript and what Parley decided.
public struct SimulationStep: Sendable {
  /// The transcript line, or nil for a timer that came due.
  public var line: Int?
  public var at: Date
  /// What happened, in words.
  public var headline: String
  public var decision: Decision
}

/// Plays a transcript through a Parley instance, line by line, moving its
/// manual clock to each line's time and firing the timers it passes.
public struct TranscriptPlayer {
  public let parley: Parley
  public let clock: ManualClock
  public let setup: CommunityFile

  public init(parley: Parley, clock: ManualClock, setup: CommunityFile) {
    self.parley = parley
    self.clock = clock
    self.setup = setup
  }

  /// Creates the community and the members that do not join during the transcript.
  public func prepare(for transcript: Transcript) async throws {
    try await parley.createCommunity(setup.community)
    let joinsLater = Set(
      transcript.lines.compactMap { $0.line.kind == .join ? $0.line.member : nil })
    for entry in setup.members where !joinsLater.contains(entry.id) {
      try await parley.addMember(setup.member(entry))
    }
  }

  /// Plays every line; `step` sees each decision as it is made.
  public func play(_ transcript: Transcript, step: (SimulationStep) -> Void) async throws {
    for (number, line) in transcript.lines {
      clock.set(line.at)
      try await fireTimers(step)
      do {
        if let result = try await handle(line) {
          step(SimulationStep(line: number, at: clock.now, headline: result.0, decision: result.1))
        } else {
          try await fireTimers(step)  // the clock moved: what came due fires now
        }
      } catch let error as TranscriptError {
        throw TranscriptError(file: transcript.file, line: number, message: error.message)
      } catch {
        throw TranscriptError(file: transcript.file, line: number, message: "\(error)")
      }
    }
    try await fireTimers(step)
  }

  private func fireTimers(_ step: (SimulationStep) -> Void) async throws {
    for decision in try await parley.fireDueTimers() {
      step(
        SimulationStep(
          line: nil, at: clock.now, headline: decision.event.summary, decision: decision))
    }
  }

  private func handle(_ line: TranscriptLine) async throws -> (String, Decision)? {
    if line.kind == .advance {
      clock.advance(minutes: try line.require(line.minutes, "minutes"))
      return nil
    }
    return try await line.play(on: parley, setup: setup)
  }
}

extension TranscriptLine {
  /// Hands the line to Parley as its event and returns what happened, in
  /// words, with the decision. `advance` lines move a simulation's clock,
  /// so only a ``TranscriptPlayer`` plays them.
  /// - Throws: ``TranscriptError`` when the line lacks a field or names
  ///   something that does not exist; whatever Parley throws.
  public func play(on parley: Parley, setup: CommunityFile) async throws -> (String, Decision) {
    let line = self
    let store = parley.store
    switch line.kind {
    case .join:
      let id = try line.require(line.member, "member")
      guard let entry = setup.members.first(where: { $0.id == id }) else {
        throw TranscriptError(
          file: "", line: nil, message: "member '\(id)' is not in the community file")
      }
      return ("\(entry.name) joined", try await parley.join(setup.member(entry, joinedAt: line.at)))
    case .post:
      let thread = try line.require(line.thread, "thread")
      let author = try line.require(line.author, "author")
      if try await store.thread(thread) == nil {
        try await parley.openThread(
          DialogueThread(
            id: thread, community: setup.community.id, title: line.title ?? thread, opener: author))
      }
      let text = try line.require(line.text, "text")
      let decision = try await parley.handle(
        .messagePosted(
          Message(
            id: try line.require(line.id, "id"), thread: thread, author: author, text: text,
            createdAt: line.at, replyTo: line.replyTo, sponsored: line.sponsored ?? false)))
      return ("\(author) in \(thread): \"\(text)\"", decision)
    case .edit:
      let id = try line.require(line.id, "id")
      guard var message = try await store.message(id) else {
        throw TranscriptError(
          file: "", line: nil, message: "no message '\(id)' has been posted yet")
      }
      message.text = try line.require(line.text, "text")
      return (
        "\(message.author) edited \(id): \"\(message.text)\"",
        try await parley.handle(.messageEdited(message))
      )
    case .report:
      let report = Report(
        message: try line.require(line.message, "message"),
        reporter: try line.require(line.reporter, "reporter"), reason: line.reason ?? "")
      return (
        "\(report.reporter) reported \(report.message): \(report.reason)",
        try await parley.handle(.reportFiled(report))
      )
    case .consent:
      let member = try line.require(line.member, "member")
      let purpose = try line.require(line.purpose, "purpose")
      let granted = try line.require(line.granted, "granted")
      return (
        "\(member) \(granted ? "opted in to" : "opted out of") \(purpose.rawValue)",
        try await parley.setConsent(member: member, purpose: purpose, granted: granted)
      )
    case .advance:
      throw TranscriptError(
        file: "", line: nil, message: "\"advance\" lines only move a simulation's clock")
    case .review:
      let message = try line.require(line.message, "message")
      let outcome = try line.outcome(ReviewResolution.Outcome.self, "approved or rejected")
      let moderator = try line.require(line.moderator, "moderator")
      return (
        "\(moderator) \(outcome.rawValue) \(message)",
        try await parley.resolveReview(
          message: message, outcome: outcome, moderator: moderator, note: line.note)
      )
    case .appeal:
      let member = try line.require(line.member, "member")
      let message = try line.require(line.message, "message")
      let text = try line.require(line.text, "text")
      guard
        let appealed = try await latestDecision(
          about: message, actingOn: member, parley: parley, community: setup.community.id)
      else {
        throw TranscriptError(
          file: "", line: nil,
          message:
            "no decision about '\(message)' acted on \(member), so there is nothing to appeal")
      }
      return (
        "\(member) appealed the decision on \(message): \"\(text)\"",
        try await parley.appeal(decision: appealed.id, member: member, text: text)
      )
    case .resolveAppeal:
      let message = try line.require(line.message, "message")
      let outcome = try line.outcome(AppealResolution.Outcome.self, "upheld or overturned")
      let moderator = try line.require(line.moderator, "moderator")
      guard
        let appeal = try await store.pendingAppeals(community: setup.community.id)
          .first(where: { $0.message == message })
      else {
        throw TranscriptError(
          file: "", line: nil,
          message: "no appeal about '\(message)' is waiting; add an \"appeal\" line before this one"
        )
      }
      return (
        "\(moderator) \(outcome.rawValue) \(appeal.member)'s appeal on \(message)",
        try await parley.resolveAppeal(
          decision: appeal.decision, outcome: outcome, moderator: moderator, note: line.note)
      )
    }
  }

  /// The latest decision about a message that acted on the member (whose
  /// notice went to them): what a member appeals from their notice.
  private func latestDecision(
    about message: String, actingOn member: String, parley: Parley, community: String
  ) async throws -> Decision? {
    try await parley.store.history(community: community, since: nil).last { decision in
      decision.messageID == message && decision.notice?.member == member
        && decision.event.kind != .appealFiled && decision.event.kind != .appealResolved
    }
  }
}

extension JSONDecoder {
  static let transcript: JSONDecoder = {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return decoder
  }()
}
