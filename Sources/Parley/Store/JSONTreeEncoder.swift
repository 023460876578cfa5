import Foundation

/// Writes the same JSON text as ``JSON/encoder`` (keys sorted by their UTF-8
/// bytes, dates as seconds since 1970, `/` escaped, `1.0` written `1`) in
/// about half the time: it builds a small tree of the value and writes it
/// into bytes, with none of Foundation's per-value boxing.
///
/// The durable stores encode every decision (0.5-2 KB of JSON) on the thread
/// that decided it: with `JSONEncoder` that was a quarter of a worker's time
/// on the SQLite path. A value this encoder does not write exactly as
/// Foundation would (`Data`, `URL`, `Decimal`, `Float`, a non-finite number)
/// makes it throw ``Unsupported``, and ``JSON/text(_:)`` then asks
/// `JSONEncoder` instead, so the text is the same either way.
struct JSONTreeEncoder {
  /// A value whose text only `JSONEncoder` knows how to write.
  struct Unsupported: Error {}

  /// The JSON text of `value`.
  static func text<T: Encodable>(_ value: T) throws -> String {
    // A value that encodes nothing is an error at the top, which
    // `JSONEncoder` words; nested, it is `{}` for both.
    guard let node = try JSONNodeEncoder.primitive(value) ?? JSONNodeEncoder.encoded(value)
    else { throw Unsupported() }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(1024)
    node.write(into: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }
}

/// A JSON value before it is written: objects keep their fields in the order
/// encoded, and are sorted when written.
private enum JSONNode {
  /// A number, `true`, `false` or `null`, written as it is.
  case literal(String)
  case string(String)
  case array(JSONArray)
  case object(JSONObject)
  /// What an encoder handed out for a nested value (`superEncoder`) holds.
  case pending(JSONNodeEncoder)

  static var null: JSONNode { .literal("null") }
  private static let hexDigits = Array("0123456789abcdef".utf8)

  static func number(_ value: Double) throws(JSONTreeEncoder.Unsupported) -> JSONNode {
    guard value.isFinite else { throw JSONTreeEncoder.Unsupported() }
    let text = value.description
    return .literal(text.hasSuffix(".0") ? String(text.dropLast(2)) : text)
  }

  func write(into bytes: inout [UInt8]) {
    switch self {
    case .literal(let text): bytes.append(contentsOf: text.utf8)
    case .string(let text): JSONNode.write(string: text, into: &bytes)
    case .array(let array):
      bytes.append(UInt8(ascii: "["))
      for (i, item) in array.items.enumerated() {
        if i > 0 { bytes.append(UInt8(ascii: ",")) }
        item.write(into: &bytes)
      }
      bytes.append(UInt8(ascii: "]"))
    case .object(let object): object.write(into: &bytes)
    case .pending(let encoder): (encoder.node ?? .object(JSONObject())).write(into: &bytes)
    }
  }

  /// Escapes as `JSONEncoder` does: `"`, `\`, `/` and control characters
  /// below U+0020 (`\b`, `\t`, `\n`, `\f`, `\r` by name, the rest as
  /// `\u00xx`); everything else, U+007F and U+2028 included, as it is.
  static func write(string: String, into bytes: inout [UInt8]) {
    bytes.append(UInt8(ascii: "\""))
    var string = string
    string.withUTF8 { utf8 in
      var plain = true
      for byte in utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x2F {
        plain = false
        break
      }
      if plain {
        bytes.append(contentsOf: utf8)
        return
      }
      for byte in utf8 {
        switch byte {
        case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
        case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
        case 0x2F: bytes.append(contentsOf: [0x5C, 0x2F])
        case 0x08: bytes.append(contentsOf: [0x5C, UInt8(ascii: "b")])
        case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
        case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
        case 0x0C: bytes.append(contentsOf: [0x5C, UInt8(ascii: "f")])
        case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
        case ..<0x20:
          bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30])
          bytes.append(hexDigits[Int(byte >> 4)])
          bytes.append(hexDigits[Int(byte & 0xF)])
        default: bytes.append(byte)
        }
      }
    }
    bytes.append(UInt8(ascii: "\""))
  }
}

private final class JSONArray {
  var items: [JSONNode] = []
}

private final class JSONObject {
  var fields: [(key: String, value: JSONNode)] = []

  /// Fields sorted by key bytes; a key encoded twice keeps its last value,
  /// as `JSONEncoder` does.
  func write(into bytes: inout [UInt8]) {
    let fields = self.fields
    // An insertion sort: an object has a handful of fields, and equal keys
    // keep the order they were encoded in.
    var order = Array(fields.indices)
    for i in order.indices.dropFirst() {
      let moving = order[i]
      var j = i
      while j > 0, Self.precedes(fields[moving].key, fields[order[j - 1]].key) {
        order[j] = order[j - 1]
        j -= 1
      }
      order[j] = moving
    }
    bytes.append(UInt8(ascii: "{"))
    var first = true
    for (n, i) in order.enumerated() {
      if n + 1 < order.count, fields[order[n + 1]].key == fields[i].key { continue }
      if !first { bytes.append(UInt8(ascii: ",")) }
      first = false
      JSONNode.write(string: fields[i].key, into: &bytes)
      bytes.append(UInt8(ascii: ":"))
      fields[i].value.write(into: &bytes)
    }
    bytes.append(UInt8(ascii: "}"))
  }

  /// Whether `a`'s UTF-8 bytes sort before `b`'s.
  private static func precedes(_ a: String, _ b: String) -> Bool {
    var (a, b) = (a, b)
    return a.withUTF8 { x in
      b.withUTF8 { y in
        let shared = min(x.count, y.count)
        if shared > 0, let p = x.baseAddress, let q = y.baseAddress {
          let order = memcmp(p, q, shared)
          if order != 0 { return order < 0 }
        }
        return x.count < y.count
      }
    }
  }
}

/// The `Encoder` a value encodes itself into: it keeps the node its first
/// container made (a value asking twice gets the same object or array).
private final class JSONNodeEncoder: Encoder {
  var node: JSONNode?

  var codingPath: [any CodingKey] { [] }
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  /// The node of one value: strings, numbers and dates directly, anything
  /// else through its own `encode(to:)`; `{}` if that encoded nothing.
  static func node<T: Encodable>(for value: T) throws -> JSONNode {
    try primitive(value) ?? encoded(value) ?? .object(JSONObject())
  }

  /// Strings, numbers and dates; nil for anything else. Told apart by
  /// their metatypes, so a nested struct or array costs no dynamic cast.
  static func primitive<T: Encodable>(_ value: T) throws -> JSONNode? {
    let type = T.self
    if type == Date.self { return try .number((value as! Date).timeIntervalSince1970) }
    if type == String.self { return .string(value as! String) }
    if type == Int.self { return .literal(String(value as! Int)) }
    if type == Double.self { return try .number(value as! Double) }
    if type == Bool.self { return .literal((value as! Bool) ? "true" : "false") }
    if type == Float.self || type == Data.self || type == URL.self || type == Decimal.self {
      throw JSONTreeEncoder.Unsupported()
    }
    return nil
  }

  /// What the value's own `encode(to:)` made; nil if it encoded nothing.
  static func encoded<T: Encodable>(_ value: T) throws -> JSONNode? {
    let encoder = JSONNodeEncoder()
    try value.encode(to: encoder)
    return encoder.node
  }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    if case .object(let object) = node { return KeyedEncodingContainer(Keyed(object: object)) }
    let object = JSONObject()
    node = .object(object)
    return KeyedEncodingContainer(Keyed(object: object))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    if case .array(let array) = node { return Unkeyed(array: array) }
    let array = JSONArray()
    node = .array(array)
    return Unkeyed(array: array)
  }

  func singleValueContainer() -> any SingleValueEncodingContainer { Single(encoder: self) }

  struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let object: JSONObject
    var codingPath: [any CodingKey] { [] }

    private func set(_ node: JSONNode, _ key: Key) { object.fields.append((key.stringValue, node)) }

    mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
      set(.literal(value ? "true" : "false"), key)
    }
    mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { set(try .number(value), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws {
      throw JSONTreeEncoder.Unsupported()
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(.literal(String(value)), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws {
      set(.literal(String(value)), key)
    }
    mutating func encode(_ value: Int16, forKey key: Key) throws {
      set(.literal(String(value)), key)
    }
    mutating func encode(_ value: Int32, forKey key: Key) throws {
      set(.literal(String(value)), key)
    }
    mutating func encode(_ value: Int64, forKey key: Key) throws {
      set(.literal(String(value)), key)
    }
    mutating func encode(_ value: UInt, forKey key: Key) throws {
      set(.literal(String(value)), key)
    }
    mutating func encode(_ value: UInt8, forKey key: Key) throws {
      set(.literal(String(value)), key)
    }
    mutating func encode(_ value: UInt16, forKey key: Key) throws {
      set(.literal(String(value)), key)
    }
    mutating func encode(_ value: UInt32, forKey key: Key) throws {
      set(.literal(String(value)), key)
    }
    mutating func encode(_ value: UInt64, forKey key: Key) throws {
      set(.literal(String(value)), key)
    }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
      set(try JSONNodeEncoder.node(for: value), key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
      keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
      let nested = JSONObject()
      set(.object(nested), key)
      return KeyedEncodingContainer(Keyed<NestedKey>(object: nested))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
      let nested = JSONArray()
      set(.array(nested), key)
      return Unkeyed(array: nested)
    }

    mutating func superEncoder() -> any Encoder {
      let encoder = JSONNodeEncoder()
      object.fields.append(("super", .pending(encoder)))
      return encoder
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
      let encoder = JSONNodeEncoder()
      set(.pending(encoder), key)
      return encoder
    }
  }

  struct Unkeyed: UnkeyedEncodingContainer {
    let array: JSONArray
    var codingPath: [any CodingKey] { [] }
    var count: Int { array.items.count }

    private func add(_ node: JSONNode) { array.items.append(node) }

    mutating func encodeNil() throws { add(.null) }
    mutating func encode(_ value: Bool) throws { add(.literal(value ? "true" : "false")) }
    mutating func encode(_ value: String) throws { add(.string(value)) }
    mutating func encode(_ value: Double) throws { add(try .number(value)) }
    mutating func encode(_ value: Float) throws { throw JSONTreeEncoder.Unsupported() }
    mutating func encode(_ value: Int) throws { add(.literal(String(value))) }
    mutating func encode(_ value: Int8) throws { add(.literal(String(value))) }
    mutating func encode(_ value: Int16) throws { add(.literal(String(value))) }
    mutating func encode(_ value: Int32) throws { add(.literal(String(value))) }
    mutating func encode(_ value: Int64) throws { add(.literal(String(value))) }
    mutating func encode(_ value: UInt) throws { add(.literal(String(value))) }
    mutating func encode(_ value: UInt8) throws { add(.literal(String(value))) }
    mutating func encode(_ value: UInt16) throws { add(.literal(String(value))) }
    mutating func encode(_ value: UInt32) throws { add(.literal(String(value))) }
    mutating func encode(_ value: UInt64) throws { add(.literal(String(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws {
      add(try JSONNodeEncoder.node(for: value))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
      -> KeyedEncodingContainer<NestedKey>
    {
      let nested = JSONObject()
      add(.object(nested))
      return KeyedEncodingContainer(Keyed<NestedKey>(object: nested))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
      let nested = JSONArray()
      add(.array(nested))
      return Unkeyed(array: nested)
    }

    mutating func superEncoder() -> any Encoder {
      let encoder = JSONNodeEncoder()
      add(.pending(encoder))
      return encoder
    }
  }

  struct Single: SingleValueEncodingContainer {
    let encoder: JSONNodeEncoder
    var codingPath: [any CodingKey] { [] }

    private func set(_ node: JSONNode) { encoder.node = node }

    mutating func encodeNil() throws { set(.null) }
    mutating func encode(_ value: Bool) throws { set(.literal(value ? "true" : "false")) }
    mutating func encode(_ value: String) throws { set(.string(value)) }
    mutating func encode(_ value: Double) throws { set(try .number(value)) }
    mutating func encode(_ value: Float) throws { throw JSONTreeEncoder.Unsupported() }
    mutating func encode(_ value: Int) throws { set(.literal(String(value))) }
    mutating func encode(_ value: Int8) throws { set(.literal(String(value))) }
    mutating func encode(_ value: Int16) throws { set(.literal(String(value))) }
    mutating func encode(_ value: Int32) throws { set(.literal(String(value))) }
    mutating func encode(_ value: Int64) throws { set(.literal(String(value))) }
    mutating func encode(_ value: UInt) throws { set(.literal(String(value))) }
    mutating func encode(_ value: UInt8) throws { set(.literal(String(value))) }
    mutating func encode(_ value: UInt16) throws { set(.literal(String(value))) }
    mutating func encode(_ value: UInt32) throws { set(.literal(String(value))) }
    mutating func encode(_ value: UInt64) throws { set(.literal(String(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws {
      set(try JSONNodeEncoder.node(for: value))
    }
  }
}
