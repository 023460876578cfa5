import Foundation

/// Removes a test's temporary folder once the last copy of the fixture
/// holding it is gone, so test runs leave nothing behind in the temporary
/// directory (a SQLite test's folder holds its database).
package final class FolderRemover: Sendable {
  package let url: URL

  package init(_ url: URL) { self.url = url }

  deinit { try? FileManager.default.removeItem(at: url) }
}
