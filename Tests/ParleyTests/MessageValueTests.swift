import Foundation
import Parley
import Testing

/// A message keeps its fields in one shared box; to a host it must still be
/// a plain value: a changed copy leaves the original alone, equal fields
/// compare equal, and its JSON is what it always was.
@Suite("Messages are values")
struct MessageValueTests {
  let original = Message(
    id: "m1", thread: "t1", author: "ada", text: "hello",
    createdAt: Date(timeIntervalSince1970: 60),
    replyTo: "m0")

  @Test func aChangedCopyLeavesTheOriginalAlone() {
    var copy = original
    copy.text = "edited"
    copy.sponsored = true
    #expect(original.text == "hello")
    #expect(original.sponsored == false)
    #expect(copy.text == "edited")
    #expect(copy.id == "m1")
    #expect(copy != original)
  }

  @Test func equalFieldsAreEqualAndHashAlike() {
    let twin = Message(
      id: "m1", thread: "t1", author: "ada", text: "hello",
      createdAt: Date(timeIntervalSince1970: 60), replyTo: "m0")
    #expect(twin == original)
    #expect(Set([twin, original]).count == 1)
  }

  @Test func itsJSONKeepsTheFieldNames() throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    encoder.dateEncodingStrategy = .secondsSince1970
    var plain = original
    plain.replyTo = nil
    let json = String(decoding: try encoder.encode(plain), as: UTF8.self)
    #expect(
      json
        == #"{"author":"ada","automated":false,"createdAt":60,"id":"m1","sponsored":false,"text":"hello","thread":"t1"}"#
    )
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .secondsSince1970
    #expect(try decoder.decode(Message.self, from: encoder.encode(original)) == original)
  }
}
