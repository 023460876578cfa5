import CParleyLua

/// The arguments a host function was called with.
///
/// Reading never raises and never runs a Lua metamethod. The `string`,
/// `integer`, ... accessors throw a ``HostFunctionError`` that Lua's caller
/// receives as an ordinary error it can `pcall`.
public struct LuaArguments {
  /// The stack, for reading arguments directly and pushing extra results.
  public let stack: LuaStack
  /// The number of arguments.
  public let count: Int32

  /// The argument at `position` (1-based) as data.
  public func value(_ position: Int32) throws(LuaError) -> LuaValue {
    position <= count ? try stack.value(at: position) : .nil
  }

  /// The argument at `position` as text.
  public func string(_ position: Int32) throws(HostFunctionError) -> String {
    guard let s = position <= count ? stack.string(at: position) : nil else {
      throw .badArgument(position, expected: "string", got: typeName(position))
    }
    return s
  }

  /// The argument at `position` as an integer.
  public func integer(_ position: Int32) throws(HostFunctionError) -> Int64 {
    guard let i = position <= count ? stack.integer(at: position) : nil else {
      throw .badArgument(position, expected: "integer", got: typeName(position))
    }
    return i
  }

  /// The argument at `position` as a number.
  public func number(_ position: Int32) throws(HostFunctionError) -> Double {
    guard let d = position <= count ? stack.number(at: position) : nil else {
      throw .badArgument(position, expected: "number", got: typeName(position))
    }
    return d
  }

  /// Whether an argument was given at `position` (and is not nil).
  public func isPresent(_ position: Int32) -> Bool {
    position <= count && stack.type(at: position) != .nil
  }

  /// The Lua type name of the argument at `position` ("no value" past the end).
  public func typeName(_ position: Int32) -> String {
    guard position <= count else { return "no value" }
    return String(cString: pl_typename(stack.handle, position))
  }
}

/// An error a host function reports to its Lua caller.
public enum HostFunctionError: Error, Sendable, CustomStringConvertible {
  /// An argument has the wrong type.
  case badArgument(Int32, expected: String, got: String)
  /// Anything else, in the function's own words.
  case message(String)

  public var description: String {
    switch self {
    case .badArgument(let position, let expected, let got):
      "bad argument #\(position) (\(expected) expected, got \(got))"
    case .message(let text): text
    }
  }
}

/// A Swift function callable from Lua: reads its arguments, returns one value.
public typealias HostFunctionBody = (LuaArguments) throws -> LuaValue

/// A Swift function that pushes its own results and returns how many: for
/// hot paths that want to avoid building ``LuaValue``s.
public typealias RawHostFunctionBody = (LuaArguments) throws -> Int32

struct HostFunction {
  let name: String
  let body: RawHostFunctionBody
}

extension LuaState {
  /// Makes a Swift function callable from Lua in every environment created
  /// afterwards, as a global (`module == nil`) or as `module.name`.
  ///
  /// When the function throws, its Lua caller sees an ordinary Lua error
  /// (`"file.lua:3: name: message"`) that it can catch with `pcall`; the Lua
  /// error is raised by C after Swift has returned.
  ///
  /// ```swift
  /// lua.register("now", in: "parley") { _ in .integer(clock.now) }
  /// ```
  public func register(_ name: String, in module: String? = nil, _ body: @escaping HostFunctionBody)
  {
    registerRaw(name, in: module) { arguments in
      try arguments.stack.push(body(arguments))
      return 1
    }
  }

  /// Registers a function that pushes its results itself. See ``register(_:in:_:)``.
  public func registerRaw(
    _ name: String, in module: String? = nil, _ body: @escaping RawHostFunctionBody
  ) {
    let qualified = module.map { "\($0).\(name)" } ?? name
    functions.append(HostFunction(name: qualified, body: body))
    pl_push_swift_function(handle, Int32(functions.count - 1))
    if let module {
      pl_register_host_function(raw, module, name)
    } else {
      pl_register_host_function(raw, nil, name)
    }
  }

  /// Registers `module.name(backing, viewMetatable, lazy, slow)`, which
  /// returns an `__index` function for read-only views written in C: it
  /// reads `backing[proxy][key]`, returns a table that already has the
  /// views' metatable (a proxy) as it is, and calls `slow(proxy, key)` only
  /// to make a missing proxy or to fill a field of a table in `lazy`. Rule
  /// APIs use it so a field read costs no Lua call.
  public func registerViewIndex(_ name: String, in module: String) {
    pl_register_view_index(raw, module, name)
  }

  /// Pushes a host function as a value (to store in a table you build).
  public func pushHostFunction(_ name: String, _ body: @escaping RawHostFunctionBody) {
    functions.append(HostFunction(name: name, body: body))
    pl_push_swift_function(handle, Int32(functions.count - 1))
  }

  /// Runs host function `id`. Returns the number of results, or -1 with an
  /// error message pushed. Never lets a Swift error escape to C.
  func dispatch(_ id: Int) -> Int32 {
    let stack = LuaStack(handle: handle)
    let count = stack.top
    let function = functions[id]
    do {
      let results = try function.body(LuaArguments(stack: stack, count: count))
      return results
    } catch {
      stack.setTop(count)
      stack.reserve(1)
      stack.push("\(function.name): \(error)")
      return -1
    }
  }
}

/// The C side of every host function: finds the owning state and dispatches.
let dispatchHostFunction: pl_swift_dispatch = { handle, id in
  guard let handle, let state = pl_state_of(handle), let owner = state.pointee.owner else {
    return -1
  }
  return Unmanaged<LuaState>.fromOpaque(owner).takeUnretainedValue().dispatch(Int(id))
}
