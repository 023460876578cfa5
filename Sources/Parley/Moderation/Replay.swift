import Foundation

/// Shadow mode: re-runs stored events through another plugin revision in
/// memory, without writing anything, and reports what would change.
public enum Replay {
  /// One stored event whose outcome would differ.
  public struct Difference: Sendable {
    public var stored: Decision
    public var replayed: Decision
  }

  /// An event that could not be replayed, and why.
  public struct Skipped: Sendable {
    public var stored: Decision
    public var why: String
  }

  /// The replay measured against what moderators decided: of the stored
  /// decisions that held or removed content and were judged, which the new
  /// revision would decide the other way.
  public struct GroundTruth: Sendable {
    /// Stored decisions moderators overturned (approved on review, or on appeal).
    public var overturned = 0
    /// Of those, the ones the new revision would no longer hold or remove.
    public var avoided: [Decision] = []
    /// Stored decisions moderators confirmed (removed on review, upheld on appeal).
    public var confirmed = 0
    /// Of those, the ones the new revision would let through.
    public var missed: [Decision] = []

    /// Two sentences a moderator can act on.
    public var text: String {
      """
      ground truth: moderators overturned \(overturned) of the replayed decisions; this revision \
      would avoid \(avoided.count) of them. They confirmed \(confirmed); it would miss \(missed.count).
      """
    }
  }

  public struct Report: Sendable {
    public var revision: String
    public var events: Int
    public var differences: [Difference]
    public var skipped: [Skipped]
    public var groundTruth: GroundTruth

    /// Side by side, with both explanations, then a summary.
    public var text: String {
      var lines: [String] = []
      for difference in differences {
        let stored = difference.stored
        lines.append(
          "\(stored.event.summary) (\(stored.community), \(stored.decidedAt.formatted(.iso8601)))")
        lines.append("  before (revision \(stored.revision)):")
        lines += stored.explanation.split(separator: "\n").map { "    " + $0 }
        lines.append("  after (revision \(revision)):")
        lines += difference.replayed.explanation.split(separator: "\n").map { "    " + $0 }
        lines.append("")
      }
      for skipped in skipped {
        lines.append("skipped \(skipped.stored.event.summary): \(skipped.why)")
      }
      lines.append(
        "\(events) events replayed on revision \(revision): \(differences.count) would change, "
          + "\(events - differences.count - skipped.count) unchanged"
          + (skipped.isEmpty ? "" : ", \(skipped.count) skipped"))
      lines.append(groundTruth.text)
      for decision in groundTruth.avoided {
        lines.append("  avoids overturned: \(decision.event.summary) (\(decision.deciderNames))")
      }
      for decision in groundTruth.missed {
        lines.append("  misses confirmed: \(decision.event.summary) (\(decision.deciderNames))")
      }
      return lines.joined(separator: "\n")
    }
  }

  /// Replays a community's stored history (or all communities') through the
  /// plugins in `plugins`. Members start from their stored profiles with their
  /// counters at zero and their consents as they were before the replayed
  /// changes, plugin state starts empty, and messages from before
  /// `since` are present as history, so a replay of the whole history sees
  /// what the original run saw. Timers the new revision schedules are not
  /// fired; stored `timer_due` events are replayed as they happened.
  public static func run(
    store: any InspectableStore, plugins: URL, community: String? = nil, since: Date? = nil
  ) async throws -> Report {
    let catalog = try PluginCatalog.load(from: plugins)
    let history = try await store.history(community: community, since: since)
    let engine = try SpecEngine(
      catalog: catalog, clock: ManualClock(history.first?.decidedAt ?? Date()))
    let memory = engine.store
    // A member's stored consents are their latest; before the first change
    // the replay plays, each was the opposite of what that change granted.
    var consentsBefore: [String: [Purpose: Bool]] = [:]
    for stored in history {
      if case .consentChanged(let change) = stored.event,
        consentsBefore[change.member]?[change.purpose] == nil
      {
        consentsBefore[change.member, default: [:]][change.purpose] = !change.granted
      }
    }
    for stored in try await store.communities() where community == nil || stored.id == community {
      try memory.saveNow(stored)
      for var member in try await store.members(community: stored.id) {
        member.history = DialogueHistory()
        member.score = 0
        member.mutedUntil = nil
        for (purpose, granted) in consentsBefore[member.id] ?? [:] {
          member.consents[purpose] = granted
        }
        try memory.saveNow(member)
      }
      for var thread in try await store.threads(community: stored.id) {
        thread.status = .open
        thread.tags = []
        thread.participants = [thread.opener]
        thread.assignedTeam = nil
        try memory.saveNow(thread)
      }
    }
    if let since {
      for message in try await store.messages(before: since, community: community) {
        try memory.insertNow(message)
      }
    }

    var differences: [Difference] = []
    var skipped: [Skipped] = []
    let judgements = Judgements(history: history)
    var truth = GroundTruth()
    for stored in history {
      engine.clock.set(stored.decidedAt)
      do {
        if case .consentChanged(let change) = stored.event,
          var member = memory.memberNow(change.member)
        {
          member.consents[change.purpose] = change.granted
          try memory.saveNow(member)
        }
        let replayed = try engine.handle(stored.event, decisionID: stored.id)
        _ = try memory.claimDueTimersNow(at: .distantFuture, limit: .max)
        if replayed.outcome != stored.outcome {
          differences.append(Difference(stored: stored, replayed: replayed))
        }
        switch judgements[stored.id] {
        case .overturned:
          truth.overturned += 1
          if replayed.verdict < .hold { truth.avoided.append(stored) }
        case .confirmed:
          truth.confirmed += 1
          if replayed.verdict < .hold { truth.missed.append(stored) }
        case .pending, nil:
          break
        }
      } catch {
        skipped.append(Skipped(stored: stored, why: "\(error)"))
      }
    }
    return Report(
      revision: catalog.revision, events: history.count, differences: differences, skipped: skipped,
      groundTruth: truth)
  }
}

extension Decision {
  /// The rules that held or removed, as `plugin/rule` names.
  var deciderNames: String {
    verdicts.filter { $0.verdict >= .hold }.map(\.source.name).joined(separator: ", ")
  }

  /// What replay compares: the verdict, the effects and the blocked effects,
  /// each with the rule behind it (not times, revisions or timer ids).
  var outcome: [String] {
    [verdict.rawValue]
      + effects.map { "effect \($0.effect.summary) by \($0.source.name)" }.sorted()
      + blocked.map { "blocked \($0.effect.summary) by \($0.source.name)" }.sorted()
      + failures.map { "failed \($0.source.name)" }.sorted()
  }
}
