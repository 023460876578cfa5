import Foundation
import Testing

@testable import Parley

/// The durable stores keep a thread's participants and tags as JSON arrays
/// and read them on every event: what the short path splits must be what
/// `JSONDecoder` would have read, and bad text must still fail.
@Suite("JSON string lists")
struct StringListJSONTests {
  @Test(
    "plain, spaced, escaped and non-ASCII lists read as JSONDecoder reads them",
    arguments: [
      #"["ada","bo"]"#, #"[]"#, #"["ada", "bo",  "cy"]"#, #"["a\"b","c"]"#, #"["a\\","b"]"#,
      #"["a\/b"]"#, #"["é","日本","👋🏽"]"#, #"["", ""]"#, #"[ "ada" ]"#, #"["\u0041"]"#,
      #"["comma,inside","]bracket["]"#,
    ])
  func matchesDecoder(text: String) throws {
    let expected = try JSONDecoder().decode([String].self, from: Data(text.utf8))
    #expect(try JSON.strings(from: text) == expected)
  }

  @Test("what a store writes reads back unchanged")
  func roundTrip() throws {
    let lists: [[String]] = [
      [], ["ada"], ["ada", "bo", "cy"], ["quote\"d", "back\\slash", "tab\t", "/slash"],
      ["ünïcödé", "emoji 👋🏽", ""],
    ]
    for list in lists {
      #expect(try JSON.strings(from: JSON.text(list)) == list)
    }
  }

  @Test(
    "text that is not a list of strings is an error, not a guess",
    arguments: [#"["ada""#, #"["ada"]x"#, #"{}"#, "", #"[1,2]"#, #"["a" "b"]"#, "["])
  func rejects(text: String) {
    #expect(throws: (any Error).self) { try JSON.strings(from: text) }
  }
}
