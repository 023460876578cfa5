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

  package static func text<T: Encodable>(_ value: T) throws -> String {
    String(decoding: try encoder.encode(value), as: UTF8.self)
  }

  package static func value<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
    try decoder.decode(type, from: Data(text.utf8))
  }
}

extension Date {
  /// Seconds since 1970, as durable stores keep times: exact for any `Date`.
  package var seconds: Double { timeIntervalSince1970 }
  package init(seconds: Double) { self.init(timeIntervalSince1970: seconds) }
}
