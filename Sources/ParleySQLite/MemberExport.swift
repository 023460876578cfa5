import Foundation
import GRDB
import Parley

/// Everything the community holds about one member, for them to see and keep.
public struct MemberExport: Codable, Sendable {
  /// A consent the member gave or withdrew.
  public struct ConsentRecord: Codable, Sendable, Hashable {
    public var purpose: Purpose
    public var granted: Bool
    public var at: Date
  }

  public var member: Member
  public var consentHistory: [ConsentRecord]
  /// Messages they wrote, oldest first.
  public var messages: [Message]
  /// Every decision about them or their messages, oldest first, with explanations.
  public var decisions: [Decision]
  public var exportedAt: Date

  /// Pretty-printed JSON, the format members receive.
  public func json() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    return String(decoding: try encoder.encode(self), as: UTF8.self)
  }
}

extension SQLiteStore {
  /// Everything held about one member, or nil when there is no such member.
  public func export(member id: String) async throws -> MemberExport? {
    try await pool.read { db in
      guard
        let member = try Row.fetchOne(
          db, sql: "SELECT \(Columns.member) FROM member WHERE id = ?", arguments: [id]
        )
        .map(Rows.member)
      else { return nil }
      let consents = try Row.fetchAll(
        db, sql: "SELECT purpose, granted, at FROM consentHistory WHERE member = ? ORDER BY id",
        arguments: [id]
      ).compactMap { row -> MemberExport.ConsentRecord? in
        guard let purpose = Purpose(rawValue: row["purpose"]) else { return nil }
        return MemberExport.ConsentRecord(
          purpose: purpose, granted: row["granted"], at: Date(seconds: row["at"]))
      }
      let messages = try Row.fetchAll(
        db, sql: "SELECT \(Columns.message) FROM message WHERE author = ? ORDER BY seq",
        arguments: [id]
      ).map(Rows.message)
      let decisions = try String.fetchAll(
        db,
        sql: """
          SELECT body FROM decision
          WHERE member = ? OR message IN (SELECT id FROM message WHERE author = ?)
          ORDER BY seq
          """, arguments: [id, id]
      ).map { try JSON.value(Decision.self, from: $0) }
      return MemberExport(
        member: member, consentHistory: consents, messages: messages, decisions: decisions,
        exportedAt: Date())
    }
  }

  /// Held messages of a community, oldest first; `matching` keeps those whose
  /// reasons or text contain it.
  public func reviews(community: String, matching: String? = nil) async throws -> [(
    Review, Message?
  )] {
    let reviews = try await pendingReviews(community: community)
    var found: [(Review, Message?)] = []
    for review in reviews {
      let message = try await message(review.message)
      if let matching {
        let haystack = (review.reasons + [message?.text ?? ""]).joined(separator: "\n").lowercased()
        guard haystack.contains(matching.lowercased()) else { continue }
      }
      found.append((review, message))
    }
    return found
  }
}

extension SQLiteStore {
  /// Every decision about a message, oldest first.
  public func decisions(about message: String) async throws -> [Decision] {
    try await pool.read { db in
      try String.fetchAll(
        db, sql: "SELECT body FROM decision WHERE message = ? ORDER BY seq", arguments: [message]
      ).map { try JSON.value(Decision.self, from: $0) }
    }
  }
}
