import EnvMonCore
import EnvMonStore
import Foundation
import GRDB
import MQTT
import TestSupport
import Testing

/// Issue 14, item 4: `envmon backup` while envmond writes, restore, and `envmon check`.
@Suite("backup, restore and check with the real daemon and CLI", .serialized)
struct BackupIntegrationTests {
    @Test("a backup taken while envmond stores a stream is consistent; restored, every reading in it is there")
    func backupWhileWritingAndRestore() async throws {
        let rig = try await StreamRig()
        defer { rig.publisher.stop() }
        let total = 20_000
        let base = Int64(Date().timeIntervalSince1970 * 1000) - 600_000
        let backup = rig.daemon.directory.file("copy.db")
        var backupResult: ProcessResult?
        for sequence in 0..<total {
            let payload = "{\"ts\":\(base + Int64(sequence)),\"seq_test\":\(sequence)}"
            _ = try rig.publisher.publish(topic: "cathai/lan_ha/lh-wq-01", text: payload, qos: 1)
            if sequence == total / 2 {
                try await waitUntil("some stored", timeout: .seconds(30)) { rig.daemon.storedCount() > 1000 }
                backupResult = try await rig.daemon.cli(["backup", "--to", backup, "--format", "json"])
            }
        }
        let result = try #require(backupResult)
        #expect(result.exitStatus == 0, "\(result)")
        #expect(result.stdout.contains("\"file\":\"\(backup)\""))
        try await waitUntil("all stored", timeout: .seconds(120), pollEvery: .milliseconds(200)) {
            rig.daemon.storedCount() >= total
        }
        #expect(rig.daemon.storedCount() == total, "the backup did not disturb the ingest")

        // The copy: an EnvMon database that passes its check and holds a prefix of the stream.
        let check = try await runProcess(
            DaemonHarness.executable("envmon"), ["check", "--full", "--db", backup, "--config", rig.daemon.configPath])
        #expect(check.exitStatus == 0, "\(check)")
        let copied = try Store.open(.sqlite(path: backup), for: .read).readings
            .readings(
                of: SeriesKey(sensor: "lh-wq-01", metric: "seq_test"), from: Timestamp(milliseconds: base),
                to: Timestamp(milliseconds: base + Int64(total)))
        #expect(copied.count > 1000 && copied.count < total, "a snapshot mid-stream: \(copied.count)")
        #expect(copied.map { Int($0.value) } == Array(0..<copied.count), "a consistent prefix, no holes")

        // Restore: stop, replace the file (its -wal/-shm go too), start.
        _ = try await rig.daemon.terminate()
        for suffix in ["", "-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: rig.daemon.databasePath + suffix)
        }
        try FileManager.default.copyItem(atPath: backup, toPath: rig.daemon.databasePath)
        try await rig.daemon.start()
        let restored = try rig.daemon.queries().readings(
            of: SeriesKey(sensor: "lh-wq-01", metric: "seq_test"), from: Timestamp(milliseconds: base),
            to: Timestamp(milliseconds: base + Int64(total)))
        #expect(restored.count >= copied.count, "every reading of the backup is there")
        #expect(Set(copied.map(\.value)).isSubset(of: Set(restored.map(\.value))))
        _ = try await rig.daemon.terminate()
    }

    @Test("bad input: a backup to an unwritable place, a check of a foreign file, a damaged table named")
    func badInput() async throws {
        let directory = try TemporaryDirectory(prefix: "envmon-backup")
        let database = directory.file("envmon.db")
        // The writer is closed at the end of this scope, before envmon reads the file.
        do {
            let writer = try Store.open(.sqlite(path: database), for: .ingest).makeReadingWriter()
            let start = Timestamp(milliseconds: 1_764_385_200_000)
            _ = try writer.write(
                IngestBatch(
                    readings: (0..<2000).map {
                        Reading(
                            series: SeriesKey(sensor: "lh-wq-01", metric: "do"),
                            timestamp: start.adding(milliseconds: Int64($0) * 1000), value: 6, quality: .pass)
                    }))
        }
        let envmon = DaemonHarness.executable("envmon")

        let unwritable = try await runProcess(envmon, ["backup", "--db", database, "--to", "/proc/envmon.db"])
        #expect(unwritable.exitStatus == 2)
        #expect(unwritable.stderr.contains("/proc/envmon.db: cannot create the backup file"), "\(unwritable.stderr)")
        let noDirectory = try await runProcess(envmon, ["backup", "--db", database, "--into", directory.file("none")])
        #expect(noDirectory.exitStatus == 2 && noDirectory.stderr.contains("no such directory"))

        let foreign = directory.file("foreign.db")
        _ = try await runProcess("/usr/bin/sqlite3", [foreign, "CREATE TABLE accounts(id INTEGER PRIMARY KEY);"])
        let foreignCheck = try await runProcess(envmon, ["check", "--db", foreign])
        #expect(foreignCheck.exitStatus == 2)
        #expect(foreignCheck.stderr.contains("application id"), "\(foreignCheck.stderr)")

        #expect(try await runProcess(envmon, ["check", "--db", database]).exitStatus == 0)
        // Overwrite the root page of the day's raw partition: the file still opens, the table is damaged.
        let (table, rootPage) = try await DatabaseQueue(path: database).read { db in
            let row = try Row.fetchOne(
                db, sql: "SELECT name, rootpage FROM sqlite_master WHERE name LIKE 'raw_%' AND type = 'table'")!
            return (row[0] as String, row[1] as Int)
        }
        let handle = try #require(FileHandle(forUpdatingAtPath: database))
        try handle.seek(toOffset: UInt64((rootPage - 1) * 4096))
        try handle.write(contentsOf: Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 151 &+ 3) }))
        try handle.close()
        let damaged = try await runProcess(envmon, ["check", "--db", database])
        #expect(damaged.exitStatus == 1, "\(damaged)")
        #expect(damaged.stderr.contains("damaged: \(table)"), "\(damaged.stderr)")
        #expect(damaged.stdout.contains(table))
    }
}
