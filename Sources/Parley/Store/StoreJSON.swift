import Foundation

/// The JSON durable stores keep lists and nested values in: sorted keys and
/// dates as seconds, so every store writes the same text for the same value.
package enum JSON {
  package static let encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.dateEncodingStrategy = .secondsSince1970
    return encoder
  }()

  package static let decoder: JSONDecoder = {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .secondsSince1970
    return decoder
  }()

  /// The text of `value`, as ``encoder`` writes it (``JSONTreeEncoder``
  /// writes it faster; `JSONEncoder` when a value needs it).
  package static func text<T: Encodable>(_ value: T) throws -> String {
    do {
      return try JSONTreeEncoder.text(value)
    } catch is JSONTreeEncoder.Unsupported {
      return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
  }

  package static func value<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
    try decoder.decode(type, from: Data(text.utf8))
  }

  /// A JSON array of strings (a thread's participants and tags, read on
  /// every event's context). Plain arrays, as the stores write them, are
  /// split without a decoder; anything else (escapes, other spacing,
  /// another shape) goes through `JSONDecoder`, which also reports bad text.
  package static func strings(from text: String) throws -> [String] {
    if let plain = plainStrings(text.utf8) { return plain }
    return try value([String].self, from: text)
  }

  /// `["a","b"]` (or `["a", "b"]`, as PostgreSQL prints it) with no
  /// escape, or nil.
  private static func plainStrings(_ bytes: String.UTF8View) -> [String]? {
    var items: [String] = []
    var i = bytes.startIndex
    guard i != bytes.endIndex, bytes[i] == UInt8(ascii: "[") else { return nil }
    i = bytes.index(after: i)
    guard i != bytes.endIndex else { return nil }
    if bytes[i] == UInt8(ascii: "]") {
      return bytes.index(after: i) == bytes.endIndex ? items : nil
    }
    while true {
      guard i != bytes.endIndex, bytes[i] == UInt8(ascii: "\"") else { return nil }
      let start = bytes.index(after: i)
      guard let end = bytes[start...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
      // A control character, or an escape (which may hide a quote), needs
      // the decoder.
      guard !bytes[start..<end].contains(where: { $0 == UInt8(ascii: "\\") || $0 < 0x20 })
      else { return nil }
      items.append(String(Substring(bytes[start..<end])))
      i = bytes.index(after: end)
      guard i != bytes.endIndex else { return nil }
      switch bytes[i] {
      case UInt8(ascii: ","):
        i = bytes.index(after: i)
        while i != bytes.endIndex, bytes[i] == UInt8(ascii: " ") { i = bytes.index(after: i) }
      case UInt8(ascii: "]"): return bytes.index(after: i) == bytes.endIndex ? items : nil
      default: return nil
      }
    }
  }
}

extension Date {
  /// Seconds since 1970, as durable stores keep times: exact for any `Date`.
  package var seconds: Double { timeIntervalSince1970 }
  package init(seconds: Double) { self.init(timeIntervalSince1970: seconds) }
}
