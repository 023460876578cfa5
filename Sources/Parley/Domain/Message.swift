import Foundation

/// A post in a thread.
public struct Message: Sendable, Codable, Hashable, Identifiable {
  public var id: String
  public var thread: String
  public var author: String
  public var text: String
  public var createdAt: Date
  /// The message this one answers, if any.
  public var replyTo: String?
  /// Paid or sponsored content, disclosed as such.
  public var sponsored: Bool
  /// Written by a program, not a person.
  public var automated: Bool

  public init(
    id: String, thread: String, author: String, text: String, createdAt: Date,
    replyTo: String? = nil, sponsored: Bool = false, automated: Bool = false
  ) {
    self.id = id
    self.thread = thread
    self.author = author
    self.text = text
    self.createdAt = createdAt
    self.replyTo = replyTo
    self.sponsored = sponsored
    self.automated = automated
  }
}
