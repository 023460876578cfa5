import Foundation
import Parley

/// The corpus as the C baseline reads it: one record per line, fields
/// separated by tabs (texts never hold tabs or line breaks).
///
///     C  id  name
///     M  id  name  role  affiliation  joined_at  trust  score  support  news  offers
///        posts  replies_to_others  replies_received  questions_asked  questions_answered
///     T  id  title  opener  status
///     P  id  thread  author  created_at  reply_to  sponsored  automated
///        member_index  thread_index  text
public enum CorpusFile {
  /// Writes the community, members, threads and the given message events.
  public static func write(_ corpus: SyntheticCorpus, events: [Event], to url: URL) throws {
    var out = ""
    out.reserveCapacity(events.count * 160)
    func field(_ text: String) -> String {
      text.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ")
    }
    func flag(_ value: Bool) -> String { value ? "1" : "0" }
    func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }

    out += "C\t\(corpus.community.id)\t\(field(corpus.community.name))\n"
    var memberIndex: [String: Int] = [:]
    for (i, m) in corpus.members.enumerated() {
      memberIndex[m.id] = i
      let h = m.history
      out +=
        "M\t\(m.id)\t\(field(m.displayName))\t\(m.role.rawValue)\t\(field(m.affiliation ?? ""))"
      out += "\t\(seconds(m.joinedAt))\t\(m.trustLevel)\t\(m.score)"
      out += "\t\(flag(m.consents.support))\t\(flag(m.consents.news))\t\(flag(m.consents.offers))"
      out += "\t\(h.posts)\t\(h.repliesToOthers)\t\(h.repliesReceived)"
      out += "\t\(h.questionsAsked)\t\(h.questionsAnswered)\n"
    }
    var threadIndex: [String: Int] = [:]
    for (i, t) in corpus.threads.enumerated() {
      threadIndex[t.id] = i
      out += "T\t\(t.id)\t\(field(t.title))\t\(t.opener)\t\(t.status.rawValue)\n"
    }
    for event in events {
      guard case .messagePosted(let p) = event else { continue }
      guard let member = memberIndex[p.author], let thread = threadIndex[p.thread] else {
        throw CocoaError(
          .fileWriteUnknown,
          userInfo: [NSLocalizedDescriptionKey: "message \(p.id) names an unknown member or thread"]
        )
      }
      out += "P\t\(p.id)\t\(p.thread)\t\(p.author)\t\(seconds(p.createdAt))\t\(p.replyTo ?? "")"
      out +=
        "\t\(flag(p.sponsored))\t\(flag(p.automated))\t\(member)\t\(thread)\t\(field(p.text))\n"
    }
    try out.write(to: url, atomically: true, encoding: .utf8)
  }
}
