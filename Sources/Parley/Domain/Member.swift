import Foundation

/// A person in a community.
public struct Member: Sendable, Codable, Hashable, Identifiable {
  /// What a member is in the community.
  public enum Role: String, Sendable, Codable, Hashable, CaseIterable {
    case member, staff, moderator, owner
  }

  public var id: String
  public var community: String
  public var displayName: String
  public var role: Role
  /// Who the member speaks for, e.g. the brand a staff member works for.
  public var affiliation: String?
  public var joinedAt: Date
  /// 0 (new) to 4 (trusted).
  public var trustLevel: Int
  public var consents: Consents
  public var history: DialogueHistory
  /// Engagement points earned through dialogue.
  public var score: Int
  /// When set and in the future, the member may not post.
  public var mutedUntil: Date?

  public init(
    id: String, community: String, displayName: String, role: Role = .member,
    affiliation: String? = nil, joinedAt: Date, trustLevel: Int = 0,
    consents: Consents = Consents(), history: DialogueHistory = DialogueHistory(), score: Int = 0,
    mutedUntil: Date? = nil
  ) {
    self.id = id
    self.community = community
    self.displayName = displayName
    self.role = role
    self.affiliation = affiliation
    self.joinedAt = joinedAt
    self.trustLevel = trustLevel
    self.consents = consents
    self.history = history
    self.score = score
    self.mutedUntil = mutedUntil
  }
}

/// What a member may be contacted for.
public enum Purpose: String, Sendable, Codable, Hashable, CaseIterable {
  /// Answers to their own questions and account matters.
  case support
  /// Product news.
  case news
  /// Offers and promotions.
  case offers

  /// Whether contact for this purpose is promotion, which needs consent.
  public var isPromotional: Bool { self != .support }
}

/// A member's choices of who may contact them, and for what.
public struct Consents: Sendable, Codable, Hashable {
  public var support: Bool
  public var news: Bool
  public var offers: Bool

  /// Support contact allowed, promotion not: the default for a new member.
  public init(support: Bool = true, news: Bool = false, offers: Bool = false) {
    self.support = support
    self.news = news
    self.offers = offers
  }

  public subscript(purpose: Purpose) -> Bool {
    get {
      switch purpose {
      case .support: support
      case .news: news
      case .offers: offers
      }
    }
    set {
      switch purpose {
      case .support: support = newValue
      case .news: news = newValue
      case .offers: offers = newValue
      }
    }
  }
}

/// Counters of a member's part in the community's dialogue.
public struct DialogueHistory: Sendable, Codable, Hashable {
  public var posts: Int
  public var repliesToOthers: Int
  public var repliesReceived: Int
  public var questionsAsked: Int
  public var questionsAnswered: Int

  public init(
    posts: Int = 0, repliesToOthers: Int = 0, repliesReceived: Int = 0, questionsAsked: Int = 0,
    questionsAnswered: Int = 0
  ) {
    self.posts = posts
    self.repliesToOthers = repliesToOthers
    self.repliesReceived = repliesReceived
    self.questionsAsked = questionsAsked
    self.questionsAnswered = questionsAnswered
  }
}
