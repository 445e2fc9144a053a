import Foundation
import TestSupport
import Testing

/// Issue 14, item 2: on an installed system the store is shared with group `envmon` (staff read
/// and acknowledge) and anyone else is refused with a message that says what to do. (The whole
/// path with real users and systemd is `make systemd-test`.)
@Suite("who may use the store", .serialized)
struct StoreAccessTests {
    /// Runs the CLI as `nobody` (uid 65534), the way a user outside group envmon would.
    static func asOutsider(_ arguments: [String]) async throws -> ProcessResult {
        try await runProcess(
            "/usr/bin/setpriv",
            ["--reuid=65534", "--regid=65534", "--clear-groups", DaemonHarness.executable("envmon")] + arguments)
    }

    @Test("envmond makes the database and its -wal/-shm group-writable; outsiders get a refusal naming the group")
    func groupSharingAndRefusal() async throws {
        try #require(getuid() == 0, "needs root to run the CLI as another user")
        let broker = try await MosquittoBroker()
        defer { broker.stop() }
        let daemon = try DaemonHarness(broker: broker, configText: try DaemonHarness.configText())
        try await daemon.start()
        for file in [daemon.databasePath, daemon.databasePath + "-wal", daemon.databasePath + "-shm"] {
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int)
            #expect(mode & 0o060 == 0o060, "\(file): \(String(mode, radix: 8))")
        }
        // The outsider comes while envmond runs, as it always does on a server: the -wal and -shm
        // exist then. (After a clean stop SQLite folds the WAL into the file and removes both,
        // and a reader must be able to create -shm again, i.e. write the directory, as group
        // envmon can in the installed /var/lib/envmon.)

        // A directory the user may not enter (the installed /var/lib/envmon is 0770 envmon:envmon).
        #expect(chmod(daemon.directory.path, 0o700) == 0)
        let locked = try await Self.asOutsider(["latest", "--db", daemon.databasePath, "--config", daemon.configPath])
        #expect(locked.exitStatus == 2)
        #expect(locked.stderr.contains("permission denied"), "\(locked.stderr)")
        #expect(locked.stderr.contains("group envmon"))
        #expect(!locked.stderr.contains("no such database"), "not a missing file: \(locked.stderr)")

        // A directory they may enter, a database they may read but not write: reading works,
        // acknowledging is refused before anything is opened for writing.
        #expect(chmod(daemon.directory.path, 0o755) == 0)
        for file in [daemon.databasePath, daemon.databasePath + "-wal", daemon.databasePath + "-shm"] {
            _ = chmod(file, 0o644)
        }
        let read = try await Self.asOutsider(["sensors", "--db", daemon.databasePath, "--config", daemon.configPath])
        #expect(read.exitStatus == 0, "\(read.stderr)")
        let ack = try await Self.asOutsider([
            "alerts", "ack", "do_low_aquaculture:lh-wq-01:1", "--by", "X", "--db", daemon.databasePath,
            "--config", daemon.configPath,
        ])
        #expect(ack.exitStatus == 2)
        #expect(ack.stderr.contains("permission denied: you may not read and write it"), "\(ack.stderr)")
        #expect(try await daemon.terminate()?.exitStatus == 0)
        for file in [daemon.databasePath + "-wal", daemon.databasePath + "-shm"] {
            #expect(!FileManager.default.fileExists(atPath: file), "a clean stop folds the WAL in: \(file)")
        }
    }
}
