/// Why Parley could not handle a request.
public enum ParleyError: Error, Sendable, Hashable, CustomStringConvertible {
  case unknownCommunity(String)
  case unknownMember(String)
  case unknownThread(String)
  case unknownMessage(String)
  /// No decision with this id in the store.
  case unknownDecision(String)
  /// No pending appeal against this decision.
  case noPendingAppeal(String)
  /// A queue item answered the wrong way: (item kind, resolution).
  case resolutionDoesNotFit(String, String)
  /// Another host already decided this timer's `timer_due` event.
  case timerAlreadyFired(String)
  /// The plugin folder could not be loaded; the previous revision (if any) stays active.
  case pluginsFailed([PluginProblem])
  /// An event names a member of one community in another's thread:
  /// (member, the member's community, the thread's community).
  case memberOutsideCommunity(String, String, String)

  public var description: String {
    switch self {
    case .unknownCommunity(let id):
      "no community '\(id)': create it with parley.createCommunity(_:) first"
    case .unknownMember(let id): "no member '\(id)': add it with parley.addMember(_:) first"
    case .unknownThread(let id): "no thread '\(id)': open it with parley.openThread(_:) first"
    case .unknownMessage(let id):
      "no message '\(id)': only stored messages can be edited, reported or reviewed"
    case .unknownDecision(let id):
      "no decision '\(id)': appeals name a decision by its id (Decision.id, in the member's notice)"
    case .noPendingAppeal(let id):
      "no appeal waiting against decision '\(id)': the member files one with parley.appeal(_:) first"
    case .resolutionDoesNotFit(let kind, let resolution):
      "a \(kind) item cannot be answered with '\(resolution)': messages are approved or removed, appeals upheld or overturned"
    case .timerAlreadyFired(let id):
      "timer '\(id)' already fired on another host: each timer is decided once, so this one is skipped"
    case .memberOutsideCommunity(let member, let theirs, let thread):
      "member '\(member)' belongs to community '\(theirs)', not '\(thread)': a member acts only in "
        + "their own community's threads; add them to '\(thread)' with parley.addMember(_:) under an id of their own there"
    case .pluginsFailed(let problems):
      "the plugins did not load (\(problems.count) problem\(problems.count == 1 ? "" : "s")):\n"
        + problems.map { "  " + $0.description }.joined(separator: "\n")
    }
  }
}
