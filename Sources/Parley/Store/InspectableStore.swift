import Foundation

/// A store whose whole contents can be read back, community by community:
/// what replay, the review queue's tools and the CLI read. Durable stores
/// (SQLite, PostgreSQL) are inspectable.
public protocol InspectableStore: Store {
  /// Every community, by id.
  func communities() async throws -> [Community]

  /// Every member of a community, by id.
  func members(community: String) async throws -> [Member]

  /// Every thread of a community, by id.
  func threads(community: String) async throws -> [DialogueThread]

  /// Messages created before a date, in the order they were stored, of one
  /// community (or all): the history a replay window starts with.
  func messages(before date: Date, community: String?) async throws -> [Message]

  /// Every decision about a message, oldest first.
  func decisions(about message: String) async throws -> [Decision]
}
