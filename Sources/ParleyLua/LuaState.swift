import CParleyLua

/// A sandboxed Lua 5.4 state that Swift owns.
///
/// A `LuaState` loads text chunks into sandbox environments, calls Lua
/// functions under a budget, moves values both ways and exposes Swift
/// functions to Lua. Lua errors never cross into Swift as jumps: every call
/// returns or throws a ``LuaError``.
///
/// ```swift
/// let lua = try LuaState()
/// let env = lua.makeEnvironment()
/// try lua.run("function double(x) return x * 2 end", chunkName: "double.lua", in: env)
/// let result = try lua.call(global: "double", in: env, with: [21])   // [42]
/// ```
///
/// A state is not thread-safe: use it from one task or thread at a time
/// (Parley's engine gives each worker its own). Host functions must not call
/// back into the same state.
public final class LuaState {
  /// How a state is set up.
  public struct Configuration: Sendable {
    /// The most memory the state's Lua code may hold, in bytes. Host pushes
    /// are not stopped by it (see the boundary notes in `parley_lua.c`).
    public var memoryLimit: Int
    /// The largest chunk ``LuaState/load(_:chunkName:in:)`` accepts, in bytes.
    /// Lua's parser cannot be interrupted, so size is its budget.
    public var maxSourceSize: Int
    /// The budget for calls that do not give one.
    public var budget: LuaBudget

    /// Creates a configuration: 64 MiB of memory, 1 MiB sources, the default budget.
    public init(
      memoryLimit: Int = 64 << 20, maxSourceSize: Int = 1 << 20, budget: LuaBudget = .default
    ) {
      self.memoryLimit = memoryLimit
      self.maxSourceSize = maxSourceSize
      self.budget = budget
    }
  }

  /// How deep tables may nest when copied across the boundary.
  public static let maxDepth = 100

  let raw: UnsafeMutablePointer<pl_state>
  let handle: OpaquePointer
  /// The configuration the state was created with.
  public let configuration: Configuration
  var functions: [HostFunction] = []
  var knownChunks: Set<String> = []

  /// Creates a state with the sandbox ready.
  ///
  /// - Throws: ``LuaError`` when the process cannot allocate the state.
  public init(configuration: Configuration = Configuration()) throws(LuaError) {
    guard
      let raw = pl_state_open(
        configuration.memoryLimit, configuration.maxSourceSize, dispatchHostFunction, nil),
      let handle = raw.pointee.L
    else {
      throw LuaError(kind: .memoryBudget, message: "could not create a Lua state: out of memory")
    }
    self.raw = raw
    self.handle = handle
    self.configuration = configuration
    raw.pointee.owner = Unmanaged.passUnretained(self).toOpaque()
  }

  deinit { pl_state_close(raw) }

  /// The stack, for building arguments and reading values directly.
  public var stack: LuaStack { LuaStack(handle: handle) }

  /// Bytes the state holds now.
  public var memoryInUse: Int { raw.pointee.used }

  /// The most bytes the state has held at once.
  public var peakMemory: Int { raw.pointee.peak }

  /// How long the last protected call ran, in nanoseconds: what the engine's
  /// per-rule costs add up, at the price of one clock read per call.
  public var lastCallNanoseconds: Int64 { raw.pointee.last_call_ns }

  /// Runs a full garbage collection.
  public func collectGarbage() { pl_gc_collect(handle) }

  // MARK: Environments and references

  /// Creates a fresh sandbox environment: the safe base functions, private
  /// copies of `string`, `table`, `math` and `utf8`, the host functions, and
  /// a clear error for every forbidden name (`os`, `io`, `load`, ...).
  public func makeEnvironment() -> LuaEnvironment {
    pl_new_environment(raw)
    return LuaEnvironment(reference: popReference())
  }

  /// Keeps the value at the top of the stack in the registry and pops it.
  public func popReference() -> LuaReference {
    LuaReference(id: luaL_ref(handle, pl_registryindex()))
  }

  /// Pops the value at the top of the stack into `reference`, in place of
  /// the value it kept: a reference reused on every call costs no registry
  /// insertion. The value must not be nil (a nil slot would look free to
  /// ``popReference()``).
  public func replace(_ reference: LuaReference) {
    precondition(stack.type(at: -1) != .nil, "a reference cannot keep nil")
    lua_rawseti(handle, pl_registryindex(), lua_Integer(reference.id))
  }

  /// Lets the value a reference keeps be collected.
  public func release(_ reference: LuaReference) {
    luaL_unref(handle, pl_registryindex(), reference.id)
  }

  /// Releases an environment.
  public func release(_ environment: LuaEnvironment) { release(environment.reference) }

  /// Reads a global of an environment (raw: no metamethods), as data.
  public func get(_ name: String, in environment: LuaEnvironment) throws(LuaError) -> LuaValue {
    let base = stack.top
    defer { stack.setTop(base) }
    stack.push(environment.reference)
    stack.push(name)
    lua_rawget(handle, -2)
    return try stack.value(at: -1)
  }

  /// Keeps a global of an environment (a function, a table) as a reference.
  /// Returns nil when the global is nil.
  public func reference(to name: String, in environment: LuaEnvironment) -> LuaReference? {
    stack.push(environment.reference)
    stack.push(name)
    lua_rawget(handle, -2)
    pl_remove(handle, -2)
    if stack.type(at: -1) == .nil {
      stack.pop()
      return nil
    }
    return popReference()
  }

  /// Sets a global of an environment.
  public func set(_ name: String, to value: LuaValue, in environment: LuaEnvironment)
    throws(LuaError)
  {
    let base = stack.top
    defer { stack.setTop(base) }
    stack.push(environment.reference)
    stack.push(name)
    try stack.push(value)
    lua_rawset(handle, -3)
  }

  /// Seeds `math.random` for the code that runs next, so runs are repeatable.
  public func seedRandom(_ seed: Int64) { _ = pl_set_random_seed(raw, seed) }

  // MARK: Loading

  /// Compiles a text chunk and returns it as a function, without running it.
  ///
  /// - Parameters:
  ///   - source: Lua source text. Binary (precompiled) chunks are refused.
  ///   - chunkName: The name errors show, usually the file's path.
  ///   - environment: The chunk's `_ENV`: its globals. Pass one from
  ///     ``makeEnvironment()`` to sandbox it.
  /// - Throws: ``LuaError`` of kind `syntax`, `sourceTooLarge`, `binaryChunk`
  ///   or `memoryBudget`, with the chunk and line.
  public func load(_ source: String, chunkName: String, in environment: LuaEnvironment)
    throws(LuaError) -> LuaReference
  {
    var source = source
    let result = source.withUTF8 { buffer in
      Result { () throws(LuaError) -> LuaReference in
        try load(bytes: UnsafeRawBufferPointer(buffer), chunkName: chunkName, in: environment)
      }
    }
    return try result.get()
  }

  /// Compiles a chunk given as bytes. See ``load(_:chunkName:in:)``.
  public func load(bytes: UnsafeRawBufferPointer, chunkName: String, in environment: LuaEnvironment)
    throws(LuaError) -> LuaReference
  {
    knownChunks.insert(chunkName)
    let base = stack.top
    stack.push(environment.reference)
    let status = pl_load(
      raw, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count, "@" + chunkName,
      base + 1)
    pl_remove(handle, base + 1)
    guard status == PL_OK else {
      let text = stack.string(at: -1) ?? "cannot load \(chunkName)"
      stack.setTop(base)
      var error = LuaError(kind: kind(of: status), luaMessage: text, knownChunks: knownChunks)
      if error.chunk == nil {
        // The parser's own recursion limit raises without a position.
        error.chunk = chunkName
        if text.hasPrefix("C stack overflow") {
          error.message = "code nested too deeply to compile; split it into smaller functions"
        }
      }
      throw error
    }
    return popReference()
  }

  /// Loads a chunk and runs it at once, returning its results.
  @discardableResult
  public func run(
    _ source: String, chunkName: String, in environment: LuaEnvironment, budget: LuaBudget? = nil
  ) throws(LuaError) -> [LuaValue] {
    let chunk = try load(source, chunkName: chunkName, in: environment)
    defer { release(chunk) }
    return try call(chunk, with: [], budget: budget)
  }

  // MARK: Calling

  /// Calls a function with arguments and returns all its results as data.
  @discardableResult
  public func call(
    _ function: LuaReference, with arguments: [LuaValue] = [], budget: LuaBudget? = nil
  )
    throws(LuaError) -> [LuaValue]
  {
    try call(
      function, budget: budget,
      arguments: { (stack) throws(LuaError) -> Int32 in
        for argument in arguments { try stack.push(argument) }
        return Int32(arguments.count)
      },
      results: { (stack, count) throws(LuaError) -> [LuaValue] in
        var values: [LuaValue] = []
        values.reserveCapacity(Int(count))
        for i in 0..<count { values.append(try stack.value(at: stack.top - count + 1 + i)) }
        return values
      })
  }

  /// Calls a global function of an environment.
  @discardableResult
  public func call(
    global name: String, in environment: LuaEnvironment, with arguments: [LuaValue] = [],
    budget: LuaBudget? = nil
  ) throws(LuaError) -> [LuaValue] {
    guard let function = reference(to: name, in: environment) else {
      throw LuaError(kind: .runtime, message: "attempt to call a nil value (global '\(name)')")
    }
    defer { release(function) }
    return try call(function, with: arguments, budget: budget)
  }

  /// Calls a function, building its arguments and reading its results on the
  /// stack directly: the fast path for hot loops.
  ///
  /// - Parameters:
  ///   - arguments: Pushes the arguments and returns how many it pushed.
  ///   - results: Reads the results; gets the stack and the result count. The
  ///     results are popped afterwards.
  public func call<Result>(
    _ function: LuaReference, budget: LuaBudget? = nil,
    arguments: (LuaStack) throws(LuaError) -> Int32,
    results: (LuaStack, Int32) throws(LuaError) -> Result
  ) throws(LuaError) -> Result {
    let budget = budget ?? configuration.budget
    return try invoke(function, budget: budget, arguments: arguments, results: results) {
      pl_pcall($0, $1, -1, Int64(clamping: budget.instructions), budget.timeNanoseconds)
    }
  }

  /// Calls the host's own Lua, such as the rule API's views: code that needs
  /// no instruction or time budget, so no count hook stops it at every
  /// instruction and no clock is read. The memory ceiling still holds.
  /// Never for a rule's code.
  public func callHost<Result>(
    _ function: LuaReference,
    arguments: (LuaStack) throws(LuaError) -> Int32,
    results: (LuaStack, Int32) throws(LuaError) -> Result
  ) throws(LuaError) -> Result {
    try invoke(function, budget: configuration.budget, arguments: arguments, results: results) {
      pl_pcall_host($0, $1, -1)
    }
  }

  private func invoke<Result>(
    _ function: LuaReference, budget: LuaBudget,
    arguments: (LuaStack) throws(LuaError) -> Int32,
    results: (LuaStack, Int32) throws(LuaError) -> Result,
    protectedCall: (UnsafeMutablePointer<pl_state>, Int32) -> pl_status
  ) throws(LuaError) -> Result {
    let base = stack.top
    defer { stack.setTop(base) }
    guard stack.reserve(LuaState.minimumStack) else {
      throw LuaError(kind: .stackOverflow, message: "no room on the Lua stack for the call")
    }
    stack.push(function)
    let count = try arguments(stack)
    let status = protectedCall(raw, count)
    guard status == PL_OK else { throw failure(status, budget: budget) }
    return try results(stack, stack.top - base)
  }

  static let minimumStack: Int32 = 64

  // MARK: Errors

  func kind(of status: pl_status) -> LuaError.Kind {
    switch status {
    case PL_ERROR_SYNTAX: .syntax
    case PL_ERROR_FORBIDDEN: .forbidden
    case PL_ERROR_TOO_LARGE: .sourceTooLarge
    case PL_ERROR_BINARY: .binaryChunk
    case PL_ERROR_BUDGET:
      switch raw.pointee.exceeded {
      case PL_BUDGET_INSTRUCTIONS: .instructionBudget
      case PL_BUDGET_TIME: .timeBudget
      default: .memoryBudget
      }
    default: .runtime
    }
  }

  private func failure(_ status: pl_status, budget: LuaBudget) -> LuaError {
    let text = stack.string(at: -1) ?? "(error object is not a string)"
    var error = LuaError(kind: kind(of: status), luaMessage: text, knownChunks: knownChunks)
    switch error.kind {
    case .instructionBudget:
      error.message = "instruction budget exceeded (\(budget.instructions) instructions)"
    case .timeBudget:
      error.message = "time budget exceeded (\(budget.time))"
    case .memoryBudget:
      error.message =
        "memory budget exceeded (the state may hold \(configuration.memoryLimit) bytes)"
      collectGarbage()
    case .runtime where error.message.hasSuffix("stack overflow"):
      error.kind = .stackOverflow
    default: break
    }
    return error
  }
}
