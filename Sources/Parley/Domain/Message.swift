import Foundation

/// A post in a thread.
public struct Message: Sendable, Hashable, Identifiable {
  /// The stored fields, in one box shared by copies (``SharedRecord``).
  struct Fields: Sendable, Codable, Hashable {
    var id: String
    var thread: String
    var author: String
    var text: String
    var createdAt: Date
    var replyTo: String?
    var sponsored: Bool
    var automated: Bool
  }

  private var record: SharedRecord<Fields>

  public init(
    id: String, thread: String, author: String, text: String, createdAt: Date,
    replyTo: String? = nil, sponsored: Bool = false, automated: Bool = false
  ) {
    record = SharedRecord(
      Fields(
        id: id, thread: thread, author: author, text: text, createdAt: createdAt, replyTo: replyTo,
        sponsored: sponsored, automated: automated))
  }

  public var id: String {
    get { record.fields.id }
    _modify { yield &record.fields.id }
  }
  public var thread: String {
    get { record.fields.thread }
    _modify { yield &record.fields.thread }
  }
  public var author: String {
    get { record.fields.author }
    _modify { yield &record.fields.author }
  }
  public var text: String {
    get { record.fields.text }
    _modify { yield &record.fields.text }
  }
  public var createdAt: Date {
    get { record.fields.createdAt }
    _modify { yield &record.fields.createdAt }
  }
  /// The message this one answers, if any.
  public var replyTo: String? {
    get { record.fields.replyTo }
    _modify { yield &record.fields.replyTo }
  }
  /// Paid or sponsored content, disclosed as such.
  public var sponsored: Bool {
    get { record.fields.sponsored }
    _modify { yield &record.fields.sponsored }
  }
  /// Written by a program, not a person.
  public var automated: Bool {
    get { record.fields.automated }
    _modify { yield &record.fields.automated }
  }

  public static func == (lhs: Message, rhs: Message) -> Bool {
    lhs.record.isSame(as: rhs.record) || lhs.record.fields == rhs.record.fields
  }

  public func hash(into hasher: inout Hasher) { hasher.combine(record.fields) }
}

extension Message: Codable {
  /// The same keys as the stored fields had: one key per property, an
  /// optional one left out when nil.
  public init(from decoder: any Decoder) throws {
    record = SharedRecord(try Fields(from: decoder))
  }

  public func encode(to encoder: any Encoder) throws { try record.fields.encode(to: encoder) }
}
