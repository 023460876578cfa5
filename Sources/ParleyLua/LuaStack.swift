import CParleyLua

/// The Lua stack while host code builds arguments or reads values.
///
/// `LuaStack` is how the host moves data without intermediate copies: build a
/// table field by field, push strings straight from Swift's UTF-8 storage,
/// read results with the raw API. Every operation here is safe to call from
/// Swift: pushes run with the memory ceiling lifted (they cannot fail half
/// way), and reads never run a metamethod.
///
/// You get one inside ``LuaState/call(_:budget:arguments:results:)`` and in
/// host functions (``LuaArguments/stack``). Indices are Lua's: 1 is the
/// bottom, -1 the top.
///
/// ```swift
/// try lua.call(rule, arguments: { stack in
///   stack.newTable(fields: 2)
///   stack.push("hello"); stack.setField("text")
///   stack.push(42); stack.setField("id")
///   return 1
/// }, results: { stack in stack.integer(at: -1) })
/// ```
public struct LuaStack {
  let handle: OpaquePointer

  /// The index of the top element (the number of elements).
  public var top: Int32 { lua_gettop(handle) }

  /// Sets the top, dropping values above it or filling with nil.
  public func setTop(_ index: Int32) { lua_settop(handle, index) }

  /// Pops `n` values.
  public func pop(_ n: Int32 = 1) { pl_pop(handle, n) }

  /// Makes room for `n` more values. Returns false when Lua's stack limit is reached.
  @discardableResult
  public func reserve(_ n: Int32) -> Bool { lua_checkstack(handle, n) != 0 }

  // MARK: Pushing

  /// Pushes nil.
  public func pushNil() { lua_pushnil(handle) }
  /// Pushes a boolean.
  public func push(_ value: Bool) { lua_pushboolean(handle, value ? 1 : 0) }
  /// Pushes an integer.
  public func push(_ value: Int) { lua_pushinteger(handle, lua_Integer(value)) }
  /// Pushes an integer.
  public func push(_ value: Int64) { lua_pushinteger(handle, lua_Integer(value)) }
  /// Pushes a float.
  public func push(_ value: Double) { lua_pushnumber(handle, value) }

  /// Pushes Swift text as a UTF-8 Lua string, without an intermediate copy
  /// for native strings.
  public func push(_ value: String) {
    var value = value
    value.withUTF8 { buffer in
      _ = lua_pushlstring(handle, buffer.baseAddress, buffer.count)
    }
  }

  /// Pushes a static string (a field name, a constant) with no bridging.
  public func push(_ value: StaticString) {
    _ = lua_pushlstring(
      handle, UnsafeRawPointer(value.utf8Start).assumingMemoryBound(to: CChar.self),
      value.utf8CodeUnitCount)
  }

  /// Pushes raw bytes as a Lua string.
  public func push(_ value: LuaString) {
    value.bytes.withUnsafeBufferPointer { buffer in
      buffer.withMemoryRebound(to: CChar.self) { chars in
        _ = lua_pushlstring(handle, chars.baseAddress, chars.count)
      }
    }
  }

  /// Pushes the value a reference holds.
  public func push(_ reference: LuaReference) {
    lua_rawgeti(handle, pl_registryindex(), lua_Integer(reference.id))
  }

  /// Pushes a copy of the value at `index`.
  public func pushCopy(of index: Int32) { lua_pushvalue(handle, index) }

  /// Pushes any value, tables recursively.
  ///
  /// - Throws: ``LuaError/Kind/invalidValue`` for a map key that is nil or
  ///   NaN, or nesting deeper than Lua's stack allows. Nothing is left pushed.
  public func push(_ value: LuaValue) throws(LuaError) {
    let base = top
    do {
      try pushValue(value, depth: 0)
    } catch {
      setTop(base)
      throw error
    }
  }

  private func pushValue(_ value: LuaValue, depth: Int) throws(LuaError) {
    guard depth < LuaState.maxDepth, reserve(3) else {
      throw LuaError(kind: .invalidValue, message: "value nested too deeply to push into Lua")
    }
    switch value {
    case .nil: pushNil()
    case .boolean(let b): push(b)
    case .integer(let i): push(i)
    case .number(let d): push(d)
    case .string(let s): push(s)
    case .array(let elements):
      lua_createtable(handle, Int32(clamping: elements.count), 0)
      for (i, element) in elements.enumerated() {
        try pushValue(element, depth: depth + 1)
        lua_rawseti(handle, -2, lua_Integer(i + 1))
      }
    case .map(let fields):
      lua_createtable(handle, 0, Int32(clamping: fields.count))
      for (key, element) in fields {
        switch key {
        case .nil:
          throw LuaError(kind: .invalidValue, message: "a Lua table key cannot be nil")
        case .number(let d) where d.isNaN:
          throw LuaError(kind: .invalidValue, message: "a Lua table key cannot be NaN")
        default: break
        }
        try pushValue(key, depth: depth + 1)
        try pushValue(element, depth: depth + 1)
        lua_rawset(handle, -3)
      }
    }
  }

  /// Pushes a new table with room for `array` elements and `fields` named fields.
  public func newTable(array: Int = 0, fields: Int = 0) {
    lua_createtable(handle, Int32(clamping: array), Int32(clamping: fields))
  }

  /// Pops a value and stores it as `table[key]`, for the table at `table` (default: just below).
  public func setField(_ key: StaticString, in table: Int32 = -2) {
    lua_setfield(handle, table, UnsafeRawPointer(key.utf8Start).assumingMemoryBound(to: CChar.self))
  }

  /// Pops a value and stores it as `table[key]`. Literal keys use the
  /// `StaticString` overload: its stable address lets Lua's string cache
  /// skip hashing the key on every call.
  @_disfavoredOverload
  public func setField(_ key: String, in table: Int32 = -2) {
    key.withCString { lua_setfield(handle, table, $0) }
  }

  /// Pops a value and stores it as `table[index]` (raw).
  public func setIndex(_ index: Int, in table: Int32 = -2) {
    lua_rawseti(handle, table, lua_Integer(index))
  }

  // MARK: Reading (raw: never runs a metamethod)

  /// The Lua type at `index`.
  public func type(at index: Int32) -> LuaType {
    LuaType(rawValue: lua_type(handle, index)) ?? .none
  }

  /// The string at `index` as Swift text (invalid UTF-8 repaired); nil when not a string.
  public func string(at index: Int32) -> String? {
    var length = 0
    guard let chars = pl_tolstring(handle, index, &length) else { return nil }
    return chars.withMemoryRebound(to: UInt8.self, capacity: length) {
      String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
    }
  }

  /// The bytes of the string at `index`; nil when not a string.
  public func bytes(at index: Int32) -> LuaString? {
    var length = 0
    guard let chars = pl_tolstring(handle, index, &length) else { return nil }
    return chars.withMemoryRebound(to: UInt8.self, capacity: length) {
      LuaString(bytes: Array(UnsafeBufferPointer(start: $0, count: length)))
    }
  }

  /// The integer at `index` (also a float with an integral value); nil otherwise.
  public func integer(at index: Int32) -> Int64? {
    guard lua_type(handle, index) == LUA_TNUMBER else { return nil }
    var isInteger: Int32 = 0
    let value = pl_tointeger(handle, index, &isInteger)
    return isInteger != 0 ? Int64(value) : nil
  }

  /// The number at `index`; nil when not a number.
  public func number(at index: Int32) -> Double? {
    lua_type(handle, index) == LUA_TNUMBER ? pl_tonumber(handle, index) : nil
  }

  /// The boolean at `index`; nil when not a boolean.
  public func boolean(at index: Int32) -> Bool? {
    lua_type(handle, index) == LUA_TBOOLEAN ? lua_toboolean(handle, index) != 0 : nil
  }

  /// Lua truthiness: false only for nil and false.
  public func isTruthy(at index: Int32) -> Bool { lua_toboolean(handle, index) != 0 }

  /// Pushes `table[key]` (raw) for the table at `table`, and returns its type.
  @discardableResult
  public func rawField(_ key: StaticString, of table: Int32) -> LuaType {
    let absolute = lua_absindex(handle, table)
    push(key)
    return LuaType(rawValue: lua_rawget(handle, absolute)) ?? .none
  }

  /// Pushes `table[index]` (raw) and returns its type.
  @discardableResult
  public func rawIndex(_ index: Int, of table: Int32) -> LuaType {
    LuaType(rawValue: lua_rawgeti(handle, table, lua_Integer(index))) ?? .none
  }

  /// The string keys of the table at `index`, read raw (no metamethods).
  public func stringKeys(ofTableAt index: Int32) -> [String] {
    let table = lua_absindex(handle, index)
    var keys: [String] = []
    pushNil()
    while lua_next(handle, table) != 0 {
      if type(at: -2) == .string, let key = string(at: -2) { keys.append(key) }
      pop()
    }
    return keys
  }

  /// The raw length of the table or string at `index`.
  public func rawLength(at index: Int32) -> Int { Int(lua_rawlen(handle, index)) }

  /// Converts the value at `index` to a ``LuaValue``, reading tables raw.
  ///
  /// - Throws: ``LuaError/Kind/invalidValue`` for a table that contains
  ///   itself, a function or userdata inside data, or nesting deeper than
  ///   ``LuaState/maxDepth``.
  public func value(at index: Int32) throws(LuaError) -> LuaValue {
    var path: [UnsafeRawPointer] = []
    let base = top
    do {
      return try readValue(at: lua_absindex(handle, index), path: &path)
    } catch {
      setTop(base)
      throw error
    }
  }

  private func readValue(at index: Int32, path: inout [UnsafeRawPointer]) throws(LuaError)
    -> LuaValue
  {
    switch lua_type(handle, index) {
    case LUA_TNIL, LUA_TNONE: return .nil
    case LUA_TBOOLEAN: return .boolean(lua_toboolean(handle, index) != 0)
    case LUA_TNUMBER:
      var isInteger: Int32 = 0
      let i = pl_tointeger(handle, index, &isInteger)
      if lua_isinteger(handle, index) != 0, isInteger != 0 { return .integer(Int64(i)) }
      return .number(pl_tonumber(handle, index))
    case LUA_TSTRING: return .string(bytes(at: index) ?? LuaString(bytes: []))
    case LUA_TTABLE: return try readTable(at: index, path: &path)
    default:
      let name = String(cString: pl_typename(handle, index))
      throw LuaError(kind: .invalidValue, message: "a \(name) cannot be copied out of Lua as data")
    }
  }

  private func readTable(at index: Int32, path: inout [UnsafeRawPointer]) throws(LuaError)
    -> LuaValue
  {
    guard let identity = lua_topointer(handle, index) else { return .nil }
    if path.contains(identity) {
      throw LuaError(
        kind: .invalidValue,
        message: "table contains itself (a cycle); it cannot be copied out of Lua")
    }
    guard path.count < LuaState.maxDepth, reserve(3) else {
      throw LuaError(
        kind: .invalidValue, message: "table nested deeper than \(LuaState.maxDepth) levels")
    }
    path.append(identity)
    defer { path.removeLast() }
    let count = rawLength(at: index)
    var array: [LuaValue] = []
    array.reserveCapacity(count)
    var map: [LuaValue: LuaValue] = [:]
    var isArray = count > 0
    lua_pushnil(handle)
    while lua_next(handle, index) != 0 {
      let key = try readValue(at: top - 1, path: &path)
      let element = try readValue(at: top, path: &path)
      pop()
      map[key] = element
    }
    if isArray, map.count == count {
      for i in 1...count {
        guard let element = map[.integer(Int64(i))] else {
          isArray = false
          break
        }
        array.append(element)
      }
      if isArray { return .array(array) }
    }
    return .map(map)
  }
}

/// Lua's basic types, as `lua_type` reports them.
public enum LuaType: Int32, Sendable {
  case none = -1
  case `nil` = 0
  case boolean = 1
  case lightUserdata = 2
  case number = 3
  case string = 4
  case table = 5
  case function = 6
  case userdata = 7
  case thread = 8

  /// The name Lua's `type()` gives it (`"no value"` for ``none``).
  public var name: String {
    switch self {
    case .none: "no value"
    case .nil: "nil"
    case .boolean: "boolean"
    case .lightUserdata, .userdata: "userdata"
    case .number: "number"
    case .string: "string"
    case .table: "table"
    case .function: "function"
    case .thread: "thread"
    }
  }
}
