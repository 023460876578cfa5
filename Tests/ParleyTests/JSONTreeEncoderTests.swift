import Foundation
import Testing

@testable import Parley

/// What Foundation's encoder, as the stores configure it, writes.
private func foundation<T: Encodable>(_ value: T) throws -> String {
  String(decoding: try JSON.encoder.encode(value), as: UTF8.self)
}

@Suite("the stores' JSON")
struct JSONTreeEncoderTests {
  private enum Shape: Codable {
    case labelled(x: Int, y: String?)
    case positional(Int, Double)
    case bare
  }

  /// Encodes through every kind of super encoder, as subclasses do.
  private struct Layered: Encodable {
    enum Key: String, CodingKey { case own, base, list }
    func encode(to encoder: any Encoder) throws {
      var keyed = encoder.container(keyedBy: Key.self)
      try keyed.encode(1, forKey: .own)
      var parent = keyed.superEncoder().singleValueContainer()
      try parent.encode("parent")
      var base = keyed.superEncoder(forKey: .base).unkeyedContainer()
      try base.encode(2.5)
      var list = keyed.nestedUnkeyedContainer(forKey: .list)
      var inList = list.superEncoder().container(keyedBy: Key.self)
      try inList.encodeNil(forKey: .base)
    }
  }

  /// Encodes nothing at all.
  private struct Silent: Encodable {
    func encode(to encoder: any Encoder) throws {}
  }

  private struct Record: Codable {
    var zebra: Int
    var apple: String?
    var nested: [String: [Double]]
    var when: Date
    var flags: [Bool]
    var shapes: [Shape]
    var nothing: String?
    var small: Int8
    var big: UInt64
  }

  @Test("keys sort by their bytes, as JSONEncoder sorts them")
  func keys() throws {
    let keys = [
      "b", "a", "B", "_", "a10", "a9", "é", "Z", "aa", "A", "ä", "a-b", "a_b", "aB", "1", "10", "9",
      "😀", "ｆ", "", "a\"b", "a/b",
    ]
    let value = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
    #expect(try JSONTreeEncoder.text(value) == foundation(value))
  }

  @Test("strings escape as JSONEncoder escapes them: quotes, backslashes, slashes, controls")
  func strings() throws {
    var texts = [
      "a/b", "q\"uote", "back\\slash", "nl\nx", "tab\t", "cr\r", "\u{8}\u{c}", "<>&'", "é😀",
      "\u{2028}\u{2029}", "\u{7f}", "", "plain text with no escapes at all",
    ]
    texts += (0..<0x20).map { String(UnicodeScalar(UInt8($0))) + "x" }
    #expect(try JSONTreeEncoder.text(texts) == foundation(texts))
    for text in texts { #expect(try JSONTreeEncoder.text(text) == foundation(text), "\(text)") }
  }

  @Test("numbers and dates print as JSONEncoder prints them")
  func numbers() throws {
    var doubles: [Double] = [
      0, -0.0, 1, 1.5, 1_767_225_600, 1_767_225_600.5, 1e20, 1e21, 1e-5, 0.1, 1.2345678901234568e17,
      -3.25, 1e300, 100, 1e16, 1e15, 0.000001, 12345.678, .leastNonzeroMagnitude,
      .greatestFiniteMagnitude,
    ]
    var random = SystemRandomNumberGenerator()
    doubles += (0..<500).map { _ in
      Double(bitPattern: random.next() & 0x7FEF_FFFF_FFFF_FFFF) * (Bool.random() ? 1 : -1)
    }
    doubles += (0..<500).map { _ in Double(Int.random(in: -1_000_000...1_000_000)) / 64 }
    #expect(try JSONTreeEncoder.text(doubles) == foundation(doubles))
    let ints: [Int] = [0, -1, .max, .min, 42]
    #expect(try JSONTreeEncoder.text(ints) == foundation(ints))
    let dates = doubles.prefix(100).map { Date(timeIntervalSince1970: $0 / 1e290) }
    #expect(try JSONTreeEncoder.text(dates) == foundation(dates))
  }

  @Test("structs, enums, optionals and nesting encode as JSONEncoder encodes them")
  func shapes() throws {
    let record = Record(
      zebra: 1, apple: nil, nested: ["k": [2, 0.5], "": [], "a/b": [-1]],
      when: Date(timeIntervalSince1970: 1_767_225_600.25), flags: [true, false],
      shapes: [.labelled(x: 1, y: nil), .labelled(x: 2, y: "y"), .positional(3, 4.5), .bare],
      nothing: nil, small: -8, big: .max)
    #expect(try JSONTreeEncoder.text(record) == foundation(record))
    #expect(try JSONTreeEncoder.text([record, record]) == foundation([record, record]))
    #expect(try JSONTreeEncoder.text(Layered()) == foundation(Layered()))
    let empty: [String: Int] = [:]
    #expect(try JSONTreeEncoder.text(empty) == foundation(empty))
    let none: Int? = nil
    #expect(try JSONTreeEncoder.text(none) == foundation(none))
    #expect(try JSONTreeEncoder.text(true) == foundation(true))
  }

  @Test("what it cannot write exactly goes to JSONEncoder: the text is the same either way")
  func fallback() throws {
    let data = ["bytes": Data([1, 2, 3])]
    #expect(throws: JSONTreeEncoder.Unsupported.self) { try JSONTreeEncoder.text(data) }
    #expect(try JSON.text(data) == foundation(data))
    let url = [URL(string: "https://example.com/a?b=c")!]
    #expect(try JSON.text(url) == foundation(url))
    let float: [Float] = [0.1, 3]
    #expect(try JSON.text(float) == foundation(float))
    #expect(throws: EncodingError.self) { try JSON.text([Double.nan]) }
    // Nothing at the top is JSONEncoder's error; nested, `{}` for both.
    #expect(throws: EncodingError.self) { try JSON.text(Silent()) }
    #expect(try JSON.text([Silent()]) == foundation([Silent()]))
  }

  @Test("every decision of a rich mix of events is the text JSONEncoder writes")
  func decisions() async throws {
    let host = try await TestHost.make([
      PluginFixture(
        name: "everything",
        files: [
          "rules.lua": """
          rule { id = "all-effects", on = "message_posted", description = "Proposes one of each",
                 check = function(event, ctx)
                   local text = event.message.text
                   if text:find("fail", 1, true) then error("asked to fail") end
                   return hold({ reason = "held: " .. text, notice = "We look at \\"" .. text .. "\\"" }),
                     reply("thanks / merci\\n" .. text), contact("bob", "offers", "a deal"),
                     contact("ada", "support", "help"), notify("mods", "see " .. text),
                     route("support", "a question"), tag("t/" .. #text), score(-2, "noise"),
                     mute(5, "cool down"), schedule("later", 10, { n = 1, s = "x", b = true, f = 1.5 })
                 end }
          rule { id = "flagger", on = "message_posted", description = "Flags",
                 check = function(event) return flag("a flag"), allow("fine") end }
          """
        ])
    ])
    for text in ["hello", "fail now", "quotes \" and \\ and / and \n and \u{1} and é😀", ""] {
      _ = try await host.post(text)
    }
    let decisions = try await host.store.history(community: nil, since: nil)
    #expect(decisions.count == 4)
    #expect(
      decisions.contains { !$0.failures.isEmpty } && decisions.contains { !$0.blocked.isEmpty })
    for decision in decisions {
      #expect(try JSONTreeEncoder.text(decision) == foundation(decision))
    }
  }
}
