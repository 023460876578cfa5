/// A Lua value (usually a function or a table) kept alive in the registry of
/// one ``LuaState`` across calls.
///
/// A reference is only meaningful to the state that made it. Release it with
/// ``LuaState/release(_:)`` when it is no longer needed; a state's references
/// all end when the state is closed.
public struct LuaReference: Sendable, Hashable {
  let id: Int32
}

/// An environment table for chunks: the sandbox a rule file runs in.
///
/// Each environment has its own copies of the libraries, so what one plugin
/// does to its globals (or to its `string` table) never reaches another.
public struct LuaEnvironment: Sendable, Hashable {
  /// The environment table itself.
  public let reference: LuaReference
}
