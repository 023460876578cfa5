/// A Lua string: any sequence of bytes, including zeros and invalid UTF-8.
///
/// Lua strings are byte strings. `LuaString` keeps the bytes exactly, so a
/// value that goes to Lua and back is unchanged even when it is not text.
///
/// ```swift
/// let greeting: LuaString = "héllo"
/// greeting.string   // "héllo"
/// LuaString(bytes: [0xFF, 0x00]).string   // nil: not UTF-8
/// ```
public struct LuaString: Sendable, Hashable, Comparable, ExpressibleByStringLiteral,
  CustomStringConvertible
{
  /// The bytes, exactly as Lua holds them.
  public var bytes: [UInt8]

  /// Creates a string from raw bytes.
  public init(bytes: [UInt8]) { self.bytes = bytes }

  /// Creates a string from Swift text, as UTF-8.
  public init(_ string: String) { self.bytes = Array(string.utf8) }

  public init(stringLiteral value: String) { self.init(value) }

  /// The text, or `nil` when the bytes are not valid UTF-8.
  public var string: String? { String(validating: bytes, as: UTF8.self) }

  /// The text, with invalid UTF-8 replaced by U+FFFD.
  public var description: String { String(decoding: bytes, as: UTF8.self) }

  public static func < (lhs: LuaString, rhs: LuaString) -> Bool {
    lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
  }
}
