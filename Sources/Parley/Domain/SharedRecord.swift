/// A record's fields behind one reference, copied on write: copying the
/// record (into a context, a store table, a decision, the changes of an
/// event) costs one retain instead of one per string or array field.
///
/// A change to a record whose box is shared makes its own box first, as the
/// standard library's collections do, so records keep value semantics and
/// are safe to hand to other threads.
struct SharedRecord<Fields: Sendable>: Sendable {
  // `@unchecked`: `fields` is only ever changed through `SharedRecord`, and
  // only when this is the box's one reference (`isKnownUniquelyReferenced`),
  // so no other thread can be reading it.
  private final class Box: @unchecked Sendable {
    var fields: Fields
    init(_ fields: Fields) { self.fields = fields }
  }

  private var box: Box

  init(_ fields: Fields) { box = Box(fields) }

  var fields: Fields {
    get { box.fields }
    _modify {
      if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
      yield &box.fields
    }
  }

  /// Whether two records share one box, so their fields are equal without
  /// comparing them.
  func isSame(as other: SharedRecord) -> Bool { box === other.box }
}
