import Foundation
import Parley

/// `examples/community.json`: the community and its members.
struct CommunityFile: Decodable {
  struct MemberEntry: Decodable {
    var id: String
    var name: String
    var role: Member.Role
    var affiliation: String?
    var joinedAt: Date
    var trust: Int
    var consents: Consents
  }

  var community: Community
  var members: [MemberEntry]
}

/// One line of `examples/conversation.jsonl`.
struct ScriptLine: Decodable {
  enum Kind: String, Decodable {
    case join, post, edit, report, consent, advance, review
  }

  var at: Date
  var kind: Kind
  var id: String?
  var member: String?
  var thread: String?
  var title: String?
  var author: String?
  var text: String?
  var replyTo: String?
  var sponsored: Bool?
  var message: String?
  var reporter: String?
  var reason: String?
  var purpose: Purpose?
  var granted: Bool?
  var minutes: Double?
  var outcome: ReviewResolution.Outcome?
  var moderator: String?

  enum CodingKeys: String, CodingKey {
    case at, kind, id, member, thread, title, author, text, sponsored, message, reporter, reason
    case purpose, granted, minutes, outcome, moderator
    case replyTo = "reply_to"
  }

  /// The field or a message naming the line's kind and the missing field.
  func require<T>(_ value: T?, _ field: String) throws -> T {
    guard let value else { throw ScriptError("a '\(kind.rawValue)' line needs \"\(field)\"") }
    return value
  }
}

struct ScriptError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

extension JSONDecoder {
  static let script: JSONDecoder = {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return decoder
  }()
}
