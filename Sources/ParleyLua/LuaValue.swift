/// A Lua value copied into Swift, or to be copied into Lua.
///
/// Tables become ``array(_:)`` when their keys are exactly `1...n`, and
/// ``map(_:)`` otherwise; an empty table comes back as an empty map.
/// Functions, userdata and threads are not data: keep them with a
/// ``LuaReference`` instead.
///
/// ```swift
/// let record: LuaValue = ["id": 42, "tags": ["faq", "billing"], "score": 0.5]
/// ```
public enum LuaValue: Sendable, Hashable {
  case `nil`
  case boolean(Bool)
  /// A Lua integer (64-bit).
  case integer(Int64)
  /// A Lua float. `-0.0` and NaN keep their identity.
  case number(Double)
  case string(LuaString)
  /// A table whose keys are `1...count`.
  case array([LuaValue])
  /// Any other table. Keys are never `nil` or NaN (Lua forbids both).
  case map([LuaValue: LuaValue])

  /// The Lua type name: `"nil"`, `"boolean"`, `"number"`, `"string"` or `"table"`.
  public var typeName: String {
    switch self {
    case .nil: "nil"
    case .boolean: "boolean"
    case .integer, .number: "number"
    case .string: "string"
    case .array, .map: "table"
    }
  }

  /// The text of a string value, when it is valid UTF-8.
  public var stringValue: String? {
    if case .string(let s) = self { return s.string }
    return nil
  }

  /// The value as an integer, for integers and floats with an exact integer value.
  public var integerValue: Int64? {
    switch self {
    case .integer(let i): return i
    case .number(let d): return Int64(exactly: d)
    default: return nil
    }
  }

  /// The value as a double, for any number.
  public var numberValue: Double? {
    switch self {
    case .integer(let i): return Double(i)
    case .number(let d): return d
    default: return nil
    }
  }

  /// The value of a boolean, or `nil` for other types.
  public var boolValue: Bool? {
    if case .boolean(let b) = self { return b }
    return nil
  }

  /// Reads a field of a map by string key; `.nil` when absent or not a map.
  public subscript(key: String) -> LuaValue {
    if case .map(let m) = self { return m[.string(LuaString(key))] ?? .nil }
    return .nil
  }

  /// Reads an element of an array (1-based, as in Lua); `.nil` when absent.
  public subscript(index: Int) -> LuaValue {
    switch self {
    case .array(let a) where index >= 1 && index <= a.count: return a[index - 1]
    case .map(let m): return m[.integer(Int64(index))] ?? .nil
    default: return .nil
    }
  }
}

extension LuaValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral,
  ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
  ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
  public init(nilLiteral: ()) { self = .nil }
  public init(booleanLiteral value: Bool) { self = .boolean(value) }
  public init(integerLiteral value: Int64) { self = .integer(value) }
  public init(floatLiteral value: Double) { self = .number(value) }
  public init(stringLiteral value: String) { self = .string(LuaString(value)) }
  public init(arrayLiteral elements: LuaValue...) { self = .array(elements) }
  public init(dictionaryLiteral elements: (LuaValue, LuaValue)...) {
    self = .map(Dictionary(elements, uniquingKeysWith: { _, last in last }))
  }
}

extension LuaValue {
  /// Creates a string value from Swift text.
  public static func string(_ text: String) -> LuaValue { .string(LuaString(text)) }
}
