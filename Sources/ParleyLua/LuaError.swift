/// Something went wrong loading or running Lua code.
///
/// Every error says what kind of failure it was, where (chunk and line, when
/// Lua knows them), and carries Lua's traceback for runtime failures. Its
/// ``description`` reads like Lua's own messages:
/// `plugins/civility/rules.lua:12: unexpected symbol near 'then'`.
public struct LuaError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What kind of failure this was.
  public enum Kind: String, Sendable, Hashable, CaseIterable {
    /// The source does not parse.
    case syntax
    /// The code raised an error while running.
    case runtime
    /// The call ran more instructions than its budget allows.
    case instructionBudget
    /// The state reached its memory ceiling.
    case memoryBudget
    /// The call ran past its deadline.
    case timeBudget
    /// Recursion went deeper than Lua's stack allows.
    case stackOverflow
    /// The code reached for a name the sandbox does not provide (`os`, `io`, ...).
    case forbidden
    /// The source is larger than ``LuaState/Configuration/maxSourceSize``.
    case sourceTooLarge
    /// The chunk is precompiled bytecode, which is never loaded.
    case binaryChunk
    /// A value could not cross the boundary (a cycle, a function inside data, ...).
    case invalidValue
  }

  /// What kind of failure this was.
  public var kind: Kind
  /// The message, without the `chunk:line:` prefix.
  public var message: String
  /// The chunk (usually a file path) the error points at.
  public var chunk: String?
  /// The line in ``chunk``.
  public var line: Int?
  /// Lua's stack traceback, for errors raised while running.
  public var traceback: String?

  /// Creates an error.
  public init(
    kind: Kind, message: String, chunk: String? = nil, line: Int? = nil, traceback: String? = nil
  ) {
    self.kind = kind
    self.message = message
    self.chunk = chunk
    self.line = line
    self.traceback = traceback
  }

  /// Whether one of the call's budgets stopped it (instructions, time, memory, stack).
  public var isBudgetExceeded: Bool {
    switch kind {
    case .instructionBudget, .memoryBudget, .timeBudget, .stackOverflow: true
    default: false
    }
  }

  /// `chunk:line: message`, the way Lua and compilers print errors.
  public var description: String {
    switch (chunk, line) {
    case (let chunk?, let line?): "\(chunk):\(line): \(message)"
    case (let chunk?, nil): "\(chunk): \(message)"
    default: message
    }
  }
}

extension LuaError {
  /// Splits Lua's "chunk:line: message\nstack traceback:\n..." text.
  ///
  /// Lua shortens long chunk names to "...tail"; `knownChunks` restores them.
  init(kind: Kind, luaMessage text: String, knownChunks: Set<String> = []) {
    var head = text
    var traceback: String?
    let marker = "\nstack traceback:\n"
    if let split = text.utf8.firstRange(of: marker.utf8) {
      head = String(text[..<split.lowerBound])
      traceback = String(text[split.upperBound...])
    }
    var chunk: String?
    var line: Int?
    var message = head
    if let (c, l, rest) = Self.splitLocation(head) {
      chunk = Self.restore(c, from: knownChunks)
      line = l
      message = rest
    }
    self.init(kind: kind, message: message, chunk: chunk, line: line, traceback: traceback)
  }

  /// Finds the first "name:123: " in `text`.
  static func splitLocation(_ text: String) -> (String, Int, String)? {
    var search = text.startIndex
    while let colon = text[search...].firstIndex(of: ":") {
      let digitsStart = text.index(after: colon)
      let digitsEnd = text[digitsStart...].firstIndex(where: { !$0.isASCII || !$0.isNumber })
      if let end = digitsEnd, end > digitsStart, text[end] == ":",
        let line = Int(text[digitsStart..<end]), colon > text.startIndex
      {
        var rest = text[text.index(after: end)...]
        if rest.first == " " { rest = rest.dropFirst() }
        return (String(text[..<colon]), line, String(rest))
      }
      search = digitsStart
    }
    return nil
  }

  private static func restore(_ chunk: String, from known: Set<String>) -> String {
    guard chunk.hasPrefix("...") else { return chunk }
    let tail = chunk.dropFirst(3)
    return known.first(where: { $0.hasSuffix(tail) }) ?? chunk
  }
}
