/// A dialogue: an opening post and its replies.
public struct DialogueThread: Sendable, Codable, Hashable, Identifiable {
  public enum Status: String, Sendable, Codable, Hashable {
    case open, answered, locked
  }

  public var id: String
  public var community: String
  public var title: String
  /// The member who opened the thread.
  public var opener: String
  public var status: Status
  /// Everyone who has posted in the thread, in order of first post.
  public var participants: [String]
  public var tags: [String]
  /// The team the thread is routed to, if any.
  public var assignedTeam: String?

  public init(
    id: String, community: String, title: String, opener: String, status: Status = .open,
    participants: [String] = [], tags: [String] = [], assignedTeam: String? = nil
  ) {
    self.id = id
    self.community = community
    self.title = title
    self.opener = opener
    self.status = status
    self.participants = participants.isEmpty ? [opener] : participants
    self.tags = tags
    self.assignedTeam = assignedTeam
  }
}
