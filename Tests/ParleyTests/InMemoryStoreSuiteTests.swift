import Parley
import ParleyStoreSuite
import Testing

@Suite("The in-memory store passes the shared store suite")
struct InMemoryStoreSuiteTests {
  @Test(arguments: StoreSuite.checks)
  func conforms(_ check: StoreCheck) async throws {
    try await check.run(on: InMemoryStore())
  }
}
