package import Foundation

/// Another program's SQLite file: valid SQLite with a table of its own and no EnvMon application
/// id, made by Debian's sqlite3, for tests that check EnvMon refuses it and leaves it untouched.
package enum ForeignSQLiteFile {
    /// Creates the file at `path` and returns its bytes, to compare with afterwards.
    @discardableResult
    package static func make(at path: String) throws -> Data {
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        sqlite.arguments = [path, "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('mine');"]
        try sqlite.run()
        sqlite.waitUntilExit()
        guard sqlite.terminationStatus == 0 else { throw TestSupportError("sqlite3 could not make \(path)") }
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }
}
