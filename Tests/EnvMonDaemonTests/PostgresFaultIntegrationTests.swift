import EnvMonCore
import EnvMonStore
import Foundation
import MQTT
import TestSupport
import Testing

/// The store's fault cases of RELIABILITY.md, rerun against PostgreSQL 15 (issue 17): a real
/// server of the test's own (fsync on), a real broker, the real daemon, and the sequence stream of
/// `FaultIntegrationTests`, whose values say exactly what was stored.
@Suite("faults against PostgreSQL: kill -9, the server's power cut, broken databases, a full disk", .serialized)
struct PostgresFaultIntegrationTests {
    /// envmond on `server`'s database behind a persistent broker, with a connected publisher.
    struct Rig {
        let server: PostgreSQLServer
        let broker: MosquittoBroker
        let daemon: DaemonHarness
        let publisher: MQTTClient

        init(server: PostgreSQLServer, ingest: String = "") async throws {
            self.server = server
            broker = try await MosquittoBroker(
                options: .init(
                    persistence: true, extraConfig: ["max_queued_messages 0", "max_inflight_messages 1000"]))
            daemon = try DaemonHarness(
                broker: broker,
                configText: try DaemonHarness.configText(
                    ingest: ingest, extra: DeliveryIntegrationTests.sequenceMetric),
                database: server.url + "?passfile=" + server.passwordFile)
            try await daemon.start()
            publisher = try makePublisher(url: broker.url)
            let publisher = self.publisher
            try await waitUntil("publisher connected", timeout: .seconds(10)) { publisher.isConnected }
        }
    }

    /// Rows of the sequence metric and their distinct values, counted by the server itself.
    static func rowsAndDistinct(_ server: PostgreSQLServer) async throws -> (rows: Int, distinct: Int) {
        let text = try await server.runSQL(
            """
            SELECT count(*), count(DISTINCT r.value) FROM readings r JOIN series s ON s.id = r.series
            WHERE s.metric = 'seq_test'
            """)
        let parts = text.split(separator: "|").compactMap { Int($0) }
        guard parts.count == 2 else { throw HarnessError("unexpected count: \(text)") }
        return (parts[0], parts[1])
    }

    /// Readings the daemon received again and found stored (redeliveries ignored).
    static func duplicates(_ server: PostgreSQLServer) async throws -> Int {
        Int(try await server.runSQL("SELECT coalesce(sum(value), 0) FROM counters WHERE name = 'duplicates'")) ?? -1
    }

    /// Every B-tree index of the database checked with amcheck: after a crash, proof that recovery
    /// left the indexes (the unique key on (series, ts) among them) consistent with their tables.
    static func indexesIntact(_ server: PostgreSQLServer) async throws -> Int {
        let checked = try await server.runSQLAsSuperuser(
            """
            CREATE EXTENSION IF NOT EXISTS amcheck;
            SELECT count(bt_index_check(c.oid, true)) FROM pg_index i
            JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE am.amname = 'btree' AND n.nspname = 'public' AND c.relkind = 'i';
            """)
        return Int(checked) ?? -1
    }

    // MARK: - The session

    @Test("a lost connection is transient: calls fail fast while the server is down, and work again on a new one")
    func storeReconnects() async throws {
        let server = try await PostgreSQLServer()
        let location = try StoreLocation(server.url + "?passfile=" + server.passwordFile)
        let store = try Store.open(location, for: .ingest)
        let writer = try store.makeReadingWriter()
        let now = Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000))
        #expect(try store.readings.count(from: now.adding(milliseconds: -60_000), to: now) == 0)

        for fault in ["crash", "fast shutdown"] {
            if fault == "crash" { try await server.crash() } else { server.shutDown() }
            let error = try #require(throws: (any Error).self) { try writer.inboxPosition() }
            #expect(Store.isTransient(error), "\(fault): \(error)")
            #expect(!Store.isOutOfSpace(error))
            #expect("\(error)".contains(server.url), "names the server: \(error)")
            #expect(!"\(error)".contains(server.password))
            // While the server is down, later calls are refused at once (the attempts are spaced
            // out) and stay transient.
            let started = ContinuousClock.now
            let again = try #require(throws: (any Error).self) { try store.readings.counters() }
            #expect(Store.isTransient(again), "\(again)")
            #expect(started.duration(to: .now) < .seconds(2))

            try await server.start()
            // The next call after the back-off connects again; the writer and the readers go on.
            try await waitUntil(
                "\(fault): the store answers again", timeout: .seconds(15), pollEvery: .milliseconds(100)
            ) {
                (try? writer.inboxPosition()) != nil || (try? store.readings.counters()) != nil
            }
            #expect(try store.readings.count(from: now.adding(milliseconds: -60_000), to: now) == 0)
        }
        // An error of the server's that is not about the connection is not transient.
        let missing = try StoreLocation(server.url + "-missing?passfile=" + server.passwordFile)
        let refused = try #require(throws: (any Error).self) { try Store.open(missing, for: .read) }
        #expect(!Store.isTransient(refused), "\(refused)")
        server.stop()
    }

    // MARK: - kill -9 of envmond

    @Test("kill -9 of envmond three times under QoS 1 load: every reading stored once in PostgreSQL")
    func daemonKilled() async throws {
        let server = try await PostgreSQLServer()
        let rig = try await Rig(
            server: server,
            ingest: """
                batch_size = 500
                flush_interval = "100ms"
                inbox_fsync = "always"
                """)
        defer { rig.publisher.stop() }
        let (daemon, publisher) = (rig.daemon, rig.publisher)
        let stream = SequenceStream()
        let total = 12_000
        var kills = 0
        for cut in 0..<4 {
            let part = (cut * total / 4)..<((cut + 1) * total / 4)
            try stream.publish(part, with: publisher)
            if cut == 3 { break }
            try await waitUntil("daemon busy with part \(cut)", timeout: .seconds(60)) {
                daemon.storedCount() > part.lowerBound
            }
            try await daemon.kill()
            kills += 1
            try await daemon.start()
        }
        try await waitUntil("all stored", timeout: .seconds(180), pollEvery: .milliseconds(200)) {
            daemon.storedCount() >= total
        }
        #expect(kills == 3)
        #expect(try stream.storedValues(in: daemon) == Array(0..<total), "every sequence number exactly once")
        let (rows, distinct) = try await Self.rowsAndDistinct(server)
        #expect(rows == total && distinct == total, "rows \(rows), distinct \(distinct)")
        let result = try await daemon.terminate()
        #expect(result?.exitStatus == 0)
        print(
            "PostgresFault figures: kill -9 x\(kills): published \(total), rows \(rows), distinct \(distinct), redeliveries ignored \(try await Self.duplicates(server))"
        )
        server.stop()
    }

    // MARK: - The database server's power cut

    @Test(
        "the database crashes (SIGKILL of every postgres process) and is shut down while envmond writes: envmond keeps its batch, says so, reconnects, loses and doubles nothing"
    )
    func databaseCrash() async throws {
        let server = try await PostgreSQLServer()
        let rig = try await Rig(server: server)
        defer { rig.publisher.stop() }
        let (daemon, publisher) = (rig.daemon, rig.publisher)
        let process = try #require(daemon.process)
        let stream = SequenceStream()
        // A fast shutdown ends the sessions with FATAL 57P01; about one in four of them, measured,
        // leaves the statement being sent unanswered by postgres-nio (the session gives it up).
        let faults = ["crash", "fast shutdown", "crash", "fast shutdown", "fast shutdown", "fast shutdown"]
        let part = 3000
        var storedAtFault: [Int] = []
        for (index, fault) in faults.enumerated() {
            let first = index * 2 * part
            try stream.publish(first..<(first + part), with: publisher)
            try await waitUntil("storing part \(index)", timeout: .seconds(60)) {
                daemon.storedCount() > first
            }
            storedAtFault.append(daemon.storedCount())
            if fault == "crash" { try await server.crash() } else { server.shutDown() }
            // Published while the server is down: taken into the journal and the hand-off.
            try stream.publish((first + part)..<(first + 2 * part), with: publisher)
            try await waitUntil("the daemon says the database is unreachable", timeout: .seconds(30)) {
                process.stderrSoFar.contains("the database is unreachable", count: index + 1)
            }
            #expect(process.isRunning, "\(fault): still running")
            #expect(
                process.stderrSoFar.contains(
                    "CRITICAL envmond: the database is unreachable: \(server.url)?passfile=\(server.passwordFile): "),
                "names the database")
            try await server.start()
            try await waitUntil(
                "all stored after \(fault) \(index)", timeout: .seconds(90), pollEvery: .milliseconds(200)
            ) {
                daemon.storedCount() >= first + 2 * part
            }
            try await waitUntil("back in the log", timeout: .seconds(10)) {
                process.stderrSoFar.contains("the database is reachable again", count: index + 1)
                    && process.stderrSoFar.contains("<5>envmond: storage writable again", count: index + 1)
            }
        }
        let total = faults.count * 2 * part
        #expect(try stream.storedValues(in: daemon) == Array(0..<total), "every sequence number exactly once")
        let (rows, distinct) = try await Self.rowsAndDistinct(server)
        #expect(rows == total && distinct == total, "rows \(rows), distinct \(distinct)")
        #expect(!process.stderrSoFar.contains("cannot store a batch"))
        #expect(!process.stderrSoFar.contains(server.password))
        let checked = try await Self.indexesIntact(server)
        #expect(checked > 10, "amcheck on \(checked) indexes")
        let result = try await daemon.terminate()
        #expect(result?.exitStatus == 0)
        let outages = process.stderrSoFar.split(separator: "\n").compactMap { line in
            line.range(of: "reachable again after ").map { line[$0.upperBound...].prefix { $0 != ";" } }
        }
        print(
            "PostgresFault figures: database \(faults): published \(total), rows \(rows), distinct \(distinct), redeliveries ignored \(try await Self.duplicates(server)), stored at each fault \(storedAtFault), outages \(outages), indexes checked \(checked)"
        )
        server.stop()
    }

    // MARK: - A broken database at start

    /// What a PostgreSQL database can be wrong with when envmond starts on it.
    enum BrokenDatabase: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case unreachable = "no server on the port"
        case wrongPassword = "wrong password"
        case newerSchema = "an EnvMon schema newer than this build"
        case foreignTables = "another program's tables named like ours"

        var testDescription: String { rawValue }
    }

    /// The whole database as pg_dump writes it (schema, rows, sequences' values), to show that a
    /// refused start changed nothing.
    static func dump(_ server: PostgreSQLServer, database: String) async throws -> String {
        let result = try await runProcess(
            PostgreSQLServer.binaries + "/pg_dump",
            ["-h", server.socketDirectory, "-p", "\(server.port)", "-U", "postgres", "-d", database, "-w"],
            environment: ["PGCONNECT_TIMEOUT": "10"], timeout: .seconds(60))
        guard result.succeeded, !result.stdout.isEmpty else { throw HarnessError("pg_dump failed: \(result)") }
        // pg_dump 15.14 and later fence the dump with `\restrict KEY` / `\unrestrict KEY`, a new
        // random key each time: not part of the database.
        return result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("\\restrict ") && !$0.hasPrefix("\\unrestrict ") }.joined(separator: "\n")
    }

    @Test(
        "a broken database at start: exit 1, a message naming the URL and the fault, no password, nothing changed",
        arguments: BrokenDatabase.allCases)
    func brokenDatabaseAtStart(kind: BrokenDatabase) async throws {
        let server = try await SharedPostgreSQLServer.server()
        let database = try await SharedPostgreSQLServer.freshDatabase()
        let scratch = try TemporaryDirectory(prefix: "envmon-pg-broken")
        var url = database.location
        var secrets = [server.password]
        let expected: String
        switch kind {
        case .unreachable:
            let port = try freeLoopbackPort()
            url = "postgres://\(server.username)@127.0.0.1:\(port)/\(database.name)?passfile=\(server.passwordFile)"
            expected = "cannot reach the server (Connection refused); is PostgreSQL running there?"
        case .wrongPassword:
            let wrong = "not-the-password-\(UInt32.random(in: 0...UInt32.max))"
            secrets.append(wrong)
            let file = try scratch.write("passfile", "127.0.0.1:\(server.port):*:\(server.username):\(wrong)\n")
            #expect(chmod(file, 0o600) == 0)
            url = database.url + "?passfile=" + file
            expected = "the server refused user \(server.username)"
        case .newerSchema:
            // A real EnvMon store that a later version has moved on.
            _ = try Store.open(try StoreLocation(database.location), for: .ingest)
            try await database.runSQL("INSERT INTO envmon_schema (version, applied_at) VALUES ('v99', 0)")
            expected = "made by a newer EnvMon (schema v99)"
        case .foreignTables:
            try await database.runSQL(
                """
                CREATE TABLE series (id SERIAL PRIMARY KEY, title TEXT, episodes INT);
                CREATE TABLE readings (id SERIAL PRIMARY KEY, meter TEXT, kwh NUMERIC);
                INSERT INTO series (title, episodes) VALUES ('Tides', 12);
                INSERT INTO readings (meter, kwh) VALUES ('m-1', 41.5);
                """)
            expected = "another program's database"
        }
        let before = kind == .unreachable ? "" : try await Self.dump(server, database: database.name)
        let broker = try await MosquittoBroker()
        let daemon = try DaemonHarness(broker: broker, configText: try DaemonHarness.configText(), database: url)
        let result = try await runProcess(
            DaemonHarness.executable("envmond"),
            ["--config", daemon.configPath, "--broker", broker.url, "--db", url], timeout: .seconds(30))
        #expect(result.exitStatus == 1, "\(result)")
        let shown = try StoreLocation(url).description
        #expect(result.stderr.contains("cannot open the database: \(shown)"), "names the URL: \(result.stderr)")
        #expect(result.stderr.contains(expected), "\(result.stderr)")
        for secret in secrets { #expect(!result.stderr.contains(secret), "a password in the output") }
        if kind != .unreachable {
            #expect(try await Self.dump(server, database: database.name) == before, "the database changed")
        }
        print("PostgresFault \(kind.rawValue): \(result.stderr.split(separator: "\n").last ?? "")")
    }

    // MARK: - A full disk

    /// `path` made for the server's account (it owns its data directory), mode 0700 as it wants;
    /// `scratch` (mkdtemp's 0700) opened for it to pass through.
    static func serverDirectory(_ path: String, in scratch: TemporaryDirectory, for server: PostgreSQLServer) throws {
        guard chmod(scratch.path, 0o755) == 0 else { throw HarnessError("chmod \(scratch.path) failed") }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        var owner = stat()
        guard stat(server.dataDirectory, &owner) == 0, chown(path, owner.st_uid, owner.st_gid) == 0,
            chmod(path, 0o700) == 0
        else { throw HarnessError("cannot prepare \(path): \(String(cString: strerror(errno)))") }
    }

    @Test(
        "the database's tablespace full: PostgreSQL says 53100, envmond pauses with one alert naming the database, resumes when space returns, loses nothing",
        .enabled(if: TmpfsMount.isAvailable, "needs root to mount a small tmpfs"))
    func tablespaceFull() async throws {
        let server = try await PostgreSQLServer()
        let scratch = try TemporaryDirectory(prefix: "envmon-pg-diskfull")
        let mount = try await TmpfsMount(in: scratch, mebibytes: 40)
        let tablespace = mount.path + "/tablespace"
        try Self.serverDirectory(tablespace, in: scratch, for: server)
        // Every table and index of the database on the small file system; the WAL stays on the
        // server's own disk.
        try await server.runSQLAsSuperuser("CREATE TABLESPACE small LOCATION '\(tablespace)'", database: "postgres")
        try await server.runSQLAsSuperuser(
            "ALTER DATABASE \(server.database) SET TABLESPACE small", database: "postgres")
        let rig = try await Rig(server: server)
        defer { rig.publisher.stop() }
        let (daemon, publisher) = (rig.daemon, rig.publisher)
        let process = try #require(daemon.process)
        let stream = SequenceStream()
        try stream.publish(0..<2000, with: publisher)
        try await waitUntil("first part stored", timeout: .seconds(60)) { daemon.storedCount() >= 2000 }

        let ballast = try mount.fill()
        #expect(mount.availableBytes < 4096)
        try stream.publish(2000..<8000, with: publisher)
        try await waitUntil("operator alert in the journal", timeout: .seconds(60)) {
            process.stderrSoFar.contains("<2>envmond: STORAGE FULL")
        }
        let alert = try #require(process.stderrSoFar.split(separator: "\n").first { $0.contains("STORAGE FULL") })
        #expect(alert.contains("cannot write the database (\(server.url)"), "names the database: \(alert)")
        #expect(alert.contains("SQLSTATE 53100"), "\(alert)")
        #expect(process.isRunning)
        #expect(server.isRunning, "PostgreSQL itself carries on")
        let storedWhileFull = daemon.storedCount()
        #expect(storedWhileFull < 8000)

        try FileManager.default.removeItem(atPath: ballast)
        try await waitUntil(
            "everything stored after space returned", timeout: .seconds(90), pollEvery: .milliseconds(200)
        ) {
            daemon.storedCount() >= 8000
        }
        try await waitUntil("resolved in the journal", timeout: .seconds(10)) {
            process.stderrSoFar.contains("<5>envmond: storage writable again")
        }
        #expect(process.stderrSoFar.components(separatedBy: "STORAGE FULL").count == 2, "raised once")
        #expect(try stream.storedValues(in: daemon) == Array(0..<8000), "every sequence number exactly once")
        let (rows, distinct) = try await Self.rowsAndDistinct(server)
        #expect(rows == 8000 && distinct == 8000, "rows \(rows), distinct \(distinct)")
        #expect(!server.log.contains("PANIC"))
        let result = try await daemon.terminate()
        #expect(result?.exitStatus == 0)
        print(
            "PostgresFault figures: tablespace full: published 8000, stored while full \(storedWhileFull), rows \(rows), distinct \(distinct); \(alert)"
        )
        server.stop()
    }

    @Test(
        "pg_wal full: PostgreSQL cannot report it (a PANIC, then it stops); envmond keeps its batch, says the database is unreachable, stores everything once when space returns and the server is started",
        .enabled(if: TmpfsMount.isAvailable, "needs root to mount a small tmpfs"))
    func walFull() async throws {
        // Small WAL bounds so that no checkpoint preallocates segments beyond the one in use.
        let server = try await PostgreSQLServer(settings: ["min_wal_size": "32MB", "max_wal_size": "64MB"])
        let scratch = try TemporaryDirectory(prefix: "envmon-pg-walfull")
        let mount = try await TmpfsMount(in: scratch, mebibytes: 80)
        let wal = mount.path + "/pg_wal"
        // pg_wal moved to the small file system (a symbolic link, as initdb --waldir makes it).
        server.shutDown()
        try Self.serverDirectory(wal, in: scratch, for: server)
        let original = server.dataDirectory + "/pg_wal"
        let moved = try await runProcess(
            "/bin/sh", ["-c", "cp -a \"$1\"/. \"$2\"/ && rm -rf \"$1\" && ln -s \"$2\" \"$1\"", "move", original, wal])
        #expect(moved.succeeded, "\(moved)")
        try await server.start()
        let rig = try await Rig(server: server)
        defer { rig.publisher.stop() }
        let (daemon, publisher) = (rig.daemon, rig.publisher)
        let process = try #require(daemon.process)
        let stream = SequenceStream()
        try stream.publish(0..<2000, with: publisher)
        try await waitUntil("first part stored", timeout: .seconds(60)) { daemon.storedCount() >= 2000 }

        // Full: the segment in use (written in full when it was made) still takes records; the
        // next segment cannot be made. Publish until the WAL reaches it.
        let ballast = try mount.fill()
        var published = 2000
        while !server.log.contains("PANIC"), published < 200_000 {
            try stream.publish(published..<(published + 2000), with: publisher)
            published += 2000
            try await waitUntil("part stored, or the server's PANIC", timeout: .seconds(60)) {
                daemon.storedCount() >= published || server.log.contains("PANIC")
            }
        }
        let panic = try #require(
            server.log.split(separator: "\n").first { $0.contains("PANIC") }, "no PANIC after \(published) readings")
        #expect(panic.contains("pg_wal/") && panic.contains("No space left on device"), "\(panic)")
        try await waitUntil("the daemon says the database is unreachable", timeout: .seconds(30)) {
            process.stderrSoFar.contains("the database is unreachable")
        }
        // PostgreSQL's crash recovery needs a new segment too: it gives up, or (had it found
        // room) accepts connections again. Either way envmond waits.
        try await waitUntil("the server stopped or recovered", timeout: .seconds(60)) {
            !server.isRunning || server.log.contains("database system is ready to accept connections", count: 2)
        }
        let serverStopped = !server.isRunning
        #expect(process.isRunning)
        #expect(process.stderrSoFar.components(separatedBy: "<2>envmond: STORAGE FULL").count == 2, "raised once")

        try FileManager.default.removeItem(atPath: ballast)
        if !server.isRunning { try await server.start() }
        try await waitUntil(
            "everything stored after space returned", timeout: .seconds(120), pollEvery: .milliseconds(200)
        ) {
            daemon.storedCount() >= published
        }
        try await waitUntil("back in the log", timeout: .seconds(10)) {
            process.stderrSoFar.contains("the database is reachable again")
                && process.stderrSoFar.contains("<5>envmond: storage writable again")
        }
        #expect(try stream.storedValues(in: daemon) == Array(0..<published), "every sequence number exactly once")
        let (rows, distinct) = try await Self.rowsAndDistinct(server)
        #expect(rows == published && distinct == published, "rows \(rows), distinct \(distinct)")
        let result = try await daemon.terminate()
        #expect(result?.exitStatus == 0)
        print(
            "PostgresFault figures: pg_wal full: published \(published), rows \(rows), distinct \(distinct), server stopped by itself: \(serverStopped); \(panic)"
        )
        server.stop()
    }
}
