import EnvMonCore
import Foundation
import GRDB
import TestSupport
import Testing

@testable import EnvMonStore

/// A file that is not ours must be refused without one byte of it changing and without SQLite
/// leaving -wal or -shm files next to it.
@Suite("SQLite only: store files refused, created and reopened (StoreDatabase)")
struct StoreDatabaseTests {
    static func contents(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    static func expectNoCompanions(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for suffix in ["-wal", "-shm", "-journal"] {
            #expect(
                !FileManager.default.fileExists(atPath: path + suffix), "\(path + suffix) was created",
                sourceLocation: sourceLocation)
        }
    }

    static func expectRefused(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try contents(path)
        let writing = #expect(throws: StoreError.self, sourceLocation: sourceLocation) {
            _ = try StoreDatabase.openForWriting(path: path)
        }
        #expect(writing?.kind == .notAnEnvMonDatabase, sourceLocation: sourceLocation)
        #expect(writing?.message.contains(path) == true, sourceLocation: sourceLocation)
        let reading = #expect(throws: StoreError.self, sourceLocation: sourceLocation) {
            _ = try StoreDatabase.openForReading(path: path)
        }
        #expect(reading?.kind == .notAnEnvMonDatabase, sourceLocation: sourceLocation)
        #expect(try contents(path) == before, "file bytes changed", sourceLocation: sourceLocation)
        expectNoCompanions(path, sourceLocation: sourceLocation)
    }

    @Test("A file of random bytes is refused and left untouched")
    func randomBytesRefused() throws {
        let directory = try TemporaryDirectory(prefix: "envmon-store")
        let path = directory.file("random.db")
        var generator = SeededGenerator(seed: 7)
        let bytes = (0..<8_192).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        try Self.expectRefused(path)
    }

    @Test("A short text file is refused and left untouched")
    func textFileRefused() throws {
        let directory = try TemporaryDirectory(prefix: "envmon-store")
        let path = try directory.write("notes.db", "[broker]\nurl = \"mqtt://localhost\"\n")
        try Self.expectRefused(path)
    }

    @Test("An SQLite header followed by garbage is refused and left untouched")
    func corruptSQLiteRefused() throws {
        let directory = try TemporaryDirectory(prefix: "envmon-store")
        let path = directory.file("corrupt.db")
        var generator = SeededGenerator(seed: 11)
        var bytes = Array("SQLite format 3\u{0}".utf8)
        bytes += (bytes.count..<4_096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        try Self.expectRefused(path)
    }

    @Test("Another application's SQLite database is refused and left untouched")
    func foreignDatabaseRefused() throws {
        let directory = try TemporaryDirectory(prefix: "envmon-store")
        let path = directory.file("other-app.db")
        do {
            let other = try DatabaseQueue(path: path)
            try other.write { db in
                try db.execute(sql: "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
                try db.execute(sql: "INSERT INTO invoices (total) VALUES (12.5), (99)")
            }
            try other.close()
        }
        try Self.expectRefused(path)
    }

    @Test("A database with another application id is refused and left untouched")
    func otherApplicationIDRefused() throws {
        let directory = try TemporaryDirectory(prefix: "envmon-store")
        let path = directory.file("tagged.db")
        do {
            let other = try DatabaseQueue(path: path)
            try other.write { db in
                try db.execute(sql: "PRAGMA application_id = 1234")
                try db.execute(sql: "CREATE TABLE t (x)")
            }
            try other.close()
        }
        try Self.expectRefused(path)
    }

    @Test("openForReading on a missing path throws cannotOpen and creates nothing")
    func missingFileForReading() throws {
        let directory = try TemporaryDirectory(prefix: "envmon-store")
        let path = directory.file("absent.db")
        let error = #expect(throws: StoreError.self) { _ = try StoreDatabase.openForReading(path: path) }
        #expect(error?.kind == .cannotOpen)
        #expect(error?.message.contains(path) == true)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("openForWriting in a missing directory throws cannotOpen")
    func missingDirectoryForWriting() throws {
        let directory = try TemporaryDirectory(prefix: "envmon-store")
        let error = #expect(throws: StoreError.self) {
            _ = try StoreDatabase.openForWriting(path: directory.file("no/such/dir/envmon.db"))
        }
        #expect(error?.kind == .cannotOpen)
    }

    @Test("A new or empty file becomes an EnvMon database in WAL mode that both openers accept again")
    func createsAndReopens() throws {
        let directory = try TemporaryDirectory(prefix: "envmon-store")
        let empty = directory.file("empty.db")
        try Data().write(to: URL(fileURLWithPath: empty))
        for path in [directory.file("new.db"), empty] {
            let database = try StoreDatabase.openForWriting(path: path)
            let (journalMode, synchronous, applicationID) = try database.read { db in
                (
                    try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                    try Int.fetchOne(db, sql: "PRAGMA synchronous"),
                    try Int32.fetchOne(db, sql: "PRAGMA application_id")
                )
            }
            #expect(journalMode == "wal")
            #expect(synchronous == 1)  // NORMAL
            #expect(applicationID == 0x456E_764D)
            let writer = try SQLiteReadingWriter(database: database)
            _ = try writer.write(
                IngestBatch(readings: [
                    Reading(
                        series: SeriesKey(sensor: "s", metric: "m"), timestamp: Instants.july1, value: 1,
                        quality: .pass)
                ]))
            _ = try StoreDatabase.openForWriting(path: path)
            let reader = try StoreDatabase.openForReading(path: path)
            #expect(try SQLiteReadingQueries(database: reader).statistics().counters["readings_stored"] == 1)
            let readOnly = #expect(throws: DatabaseError.self) {
                try reader.write { db in try db.execute(sql: "DELETE FROM counters") }
            }
            #expect(readOnly?.resultCode == .SQLITE_READONLY)
        }
    }
}
