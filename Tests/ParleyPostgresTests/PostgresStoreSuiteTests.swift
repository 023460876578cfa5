import Parley
import ParleyPostgres
import ParleyStoreSuite
import Testing

@Suite("The PostgreSQL store passes the shared store suite", .enabled(if: TestDatabase.available))
struct PostgresStoreSuiteTests {
  @Test(arguments: StoreSuite.checks)
  func conforms(_ check: StoreCheck) async throws {
    try await TestDatabase.withStore { store in try await check.run(on: store) }
  }
}
