import ParleyLua
import Testing

/// A state with one sandbox environment, and shortcuts for the common steps.
final class Sandbox {
  let lua: LuaState
  let env: LuaEnvironment

  init(
    memoryLimit: Int = 64 << 20, budget: LuaBudget = .default, setUp: (LuaState) -> Void = { _ in }
  )
    throws
  {
    lua = try LuaState(configuration: .init(memoryLimit: memoryLimit, budget: budget))
    setUp(lua)
    env = lua.makeEnvironment()
  }

  /// Runs `source` as a chunk named `chunk` and returns its results.
  @discardableResult
  func run(_ source: String, chunk: String = "test.lua", budget: LuaBudget? = nil) throws
    -> [LuaValue]
  {
    try lua.run(source, chunkName: chunk, in: env, budget: budget)
  }

  /// Runs `source` and returns the error it must raise.
  func failure(_ source: String, chunk: String = "test.lua", budget: LuaBudget? = nil) -> LuaError?
  {
    do {
      try run(source, chunk: chunk, budget: budget)
      return nil
    } catch let error as LuaError {
      return error
    } catch {
      return nil
    }
  }

  /// The state still answers a normal call.
  func answersNormally() throws -> Bool {
    try run("return 40 + 2") == [42]
  }
}
