import Foundation
import Parley

/// One `it` of a spec file.
public struct SpecCase: Sendable, Hashable {
  /// The spec file, as shown to people.
  public var file: String
  public var plugin: String
  /// The names of the enclosing `describe`s and the `it`, joined by spaces.
  public var name: String
  /// `file:line` of the `it`.
  public var location: String
  /// Position in the file, from 1.
  public var index: Int
}

/// Why a spec failed.
public struct SpecFailure: Sendable, Hashable {
  /// The assertion's or error's message.
  public var message: String
  /// `file:line` where it failed, when known.
  public var location: String?
  /// The explanation of the last decision the spec received, if any.
  public var explanation: String?
  /// The Lua traceback, for errors that are not assertions.
  public var traceback: String?
}

/// How one spec ended.
public struct SpecResult: Sendable {
  public var spec: SpecCase
  /// Nil when it passed.
  public var failure: SpecFailure?
  public var duration: Duration
  /// The rules (`plugin/rule`) that proposed something during the spec.
  public var fired: Set<String>

  public var passed: Bool { failure == nil }
}

/// A plugin or spec file that could not be loaded.
public struct SpecProblem: Error, Sendable, Hashable, CustomStringConvertible {
  public var file: String
  public var line: Int?
  public var message: String

  public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(message)" }
}

/// How often each rule fired across a run.
public struct Coverage: Sendable {
  public struct Entry: Sendable {
    public var rule: Provenance
    /// The specs in which the rule proposed something.
    public var specs: Int
  }

  public var entries: [Entry]

  public var fired: [Entry] { entries.filter { $0.specs > 0 } }
  public var unfired: [Entry] { entries.filter { $0.specs == 0 } }

  /// The share of rules fired by at least one spec, 0–100.
  public var percent: Double {
    entries.isEmpty ? 100 : Double(fired.count) * 100 / Double(entries.count)
  }
}

/// Everything a `parley test` run found.
public struct SpecRun: Sendable {
  public var results: [SpecResult]
  public var problems: [SpecProblem]
  public var coverage: Coverage
  public var elapsed: Duration
  /// The seed every spec ran with.
  public var seed: Int64

  public var failures: [SpecResult] { results.filter { !$0.passed } }
  public var passed: Bool { problems.isEmpty && failures.isEmpty }
}
