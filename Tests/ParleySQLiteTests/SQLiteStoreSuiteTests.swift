import Parley
import ParleySQLite
import ParleyStoreSuite
import Testing

@Suite("The SQLite store passes the shared store suite")
struct SQLiteStoreSuiteTests {
  @Test(arguments: StoreSuite.checks)
  func conforms(_ check: StoreCheck) async throws {
    let fixture = try Fixture()
    try await check.run(on: try SQLiteStore(path: fixture.database))
  }
}
