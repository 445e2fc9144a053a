import EnvMonCore
import Foundation
import Synchronization
import TestSupport
import Testing

@testable import EnvMonStore

/// What only the PostgreSQL backend has: its schema versions in the database, logins by password
/// file, `postgres://` URLs, and several collectors sharing one database (the first answer to a
/// request stands, a target has one sender). Each test has a fresh database on the test
/// process's shared server.
@Suite("PostgreSQL only: migrations, logins, URLs, several collectors")
struct PostgresOnlyTests {
    static func session(_ database: PostgreSQLDatabase) throws -> PostgresSession {
        try PostgresSession(try PostgresLocation(url: database.location), environment: [:])
    }

    @Test("PostgreSQL: migrating twice changes nothing; a newer schema is refused by name")
    func migrations() async throws {
        let database = try await SharedPostgreSQLServer.freshDatabase()
        let session = try Self.session(database)
        #expect(try !PostgresMigrations.isCurrent(session))
        try PostgresMigrations.migrate(session, at: 1)
        try PostgresMigrations.migrate(session, at: 2)
        #expect(try PostgresMigrations.isCurrent(session))
        // Every version this build knows, each applied once, by the first run.
        let applied = try await database.runSQL(
            "SELECT string_agg(version || '|' || applied_at, ',' ORDER BY version) FROM envmon_schema")
        #expect(applied == PostgresMigrations.migrations.map { "\($0.version)|1" }.joined(separator: ","))
        #expect(applied.hasPrefix("v1|1"))
        try await database.runSQL("INSERT INTO envmon_schema VALUES ('v99', 3)")
        let error = #expect(throws: StoreError.self) { try PostgresMigrations.migrate(session, at: 4) }
        #expect(error?.kind == .newerSchema)
        #expect(error?.message.contains("v99") == true)
    }

    @Test("PostgreSQL: readers refuse a database without this version's schema, naming what to do; ingest makes it")
    func readersRefuseAnOlderSchema() async throws {
        let database = try await SharedPostgreSQLServer.freshDatabase()
        let location = try StoreLocation(database.location)
        for access in [StoreAccess.read, .queueRequests, .serve(readers: 2)] {
            let error = #expect(throws: StoreError.self, "\(access)") { _ = try Store.open(location, for: access) }
            #expect(error?.kind == .cannotOpen, "\(access)")
            #expect(error?.message.contains("start this version's envmond") == true, "\(access)")
        }
        // Nothing was made by the refused openings.
        #expect(try await database.runSQL("SELECT to_regclass('envmon_schema') IS NULL") == "t")

        _ = try Store.open(location, for: .ingest)
        _ = try Store.open(location, for: .read)
        // An older envmond's database: its newest migration not applied yet.
        try await database.runSQL("DELETE FROM envmon_schema WHERE version = (SELECT max(version) FROM envmon_schema)")
        #expect(throws: StoreError.self) { _ = try Store.open(location, for: .read) }
    }

    @Test("PostgreSQL: a wrong password and a missing password file are refused, naming user and file")
    func refusals() async throws {
        let database = try await SharedPostgreSQLServer.freshDatabase()
        let directory = try TemporaryDirectory(prefix: "envmon-passfile")
        let wrong = try directory.write("wrong-passfile", "*:*:*:envmon:not-the-password\n")
        chmod(wrong, 0o600)
        let refused = #expect(throws: PostgresStoreError.self) {
            _ = try PostgresSession(try PostgresLocation(url: database.url + "?passfile=" + wrong), environment: [:])
        }
        #expect(refused?.message.contains("user envmon") == true, "\(String(describing: refused))")
        #expect(refused?.sqlState == "28P01")

        let missing = #expect(throws: StoreError.self) {
            _ = try PostgresSession(
                try PostgresLocation(url: database.url), environment: ["PGPASSFILE": directory.file("none")])
        }
        #expect(missing?.message.contains("no such password file") == true)

        chmod(wrong, 0o644)
        let open = #expect(throws: StoreError.self) {
            _ = try PostgresSession(try PostgresLocation(url: database.url + "?passfile=" + wrong), environment: [:])
        }
        #expect(open?.message.contains("chmod 600") == true)
    }

    @Test(
        "PostgreSQL: URLs: user, host, port, database, sslmode and passfile read; mistakes named; no password printed")
    func locations() throws {
        let location = try PostgresLocation(url: "postgres://envmon:secret@db.example:6543/city?sslmode=require")
        #expect(location.host == "db.example" && location.port == 6543 && location.user == "envmon")
        #expect(location.database == "city" && location.tls == .require)
        #expect(!location.description.contains("secret"))
        #expect(try location.password(environment: [:]) == "secret")
        for (text, complaint) in [
            ("postgres://db.example/city", "no user"), ("postgres://envmon@db.example", "no database"),
            ("postgres://envmon@db.example/city?sslmode=maybe", "sslmode=maybe"),
            ("postgres://envmon:secret@db.example/city?colour=red", "unknown parameter colour"),
        ] {
            let error = #expect(throws: StoreError.self) { _ = try PostgresLocation(url: text) }
            #expect(error?.message.contains(complaint) == true, "\(text): \(String(describing: error))")
            #expect(error?.message.contains("secret") == false)
        }
    }

    // MARK: Several collectors

    @Test("PostgreSQL: the console's session answers a call while another call holds one of its connections")
    func consoleReadersArePooled() async throws {
        let database = try await SharedPostgreSQLServer.freshDatabase()
        let location = try StoreLocation(database.location)
        _ = try Store.open(location, for: .ingest)
        let readers = try PostgresSession(
            try PostgresLocation(url: database.location), environment: [:], readOnly: true, connections: 2)
        #expect(readers.maximumConnections == 2)
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let holderPID = Mutex<Int32?>(nil)
        // One call holds its connection (a slow page) until told to let go.
        Thread {
            try? readers.withConnection { connection in
                holderPID.withLock { $0 = try? connection.query("SELECT pg_backend_pid()").first?.decode(Int32.self) }
                holding.signal()
                _ = release.wait(timeout: .now() + .seconds(60))
            }
        }.start()
        defer { release.signal() }
        #expect(holding.wait(timeout: .now() + .seconds(30)) == .success)
        // Another call is answered meanwhile, on the session's other connection. (With one
        // connection it would wait for the first call, which waits for this one: the deadline.)
        let answered = DispatchSemaphore(value: 0)
        let otherPID = Mutex<Int32?>(nil)
        Thread {
            otherPID.withLock { $0 = try? readers.query("SELECT pg_backend_pid()").first?.decode(Int32.self) }
            answered.signal()
        }.start()
        #expect(answered.wait(timeout: .now() + .seconds(30)) == .success, "the second call waited for the first")
        let (first, second) = (holderPID.withLock { $0 }, otherPID.withLock { $0 })
        #expect(
            first != nil && second != nil && first != second,
            "\(String(describing: first)) \(String(describing: second))")
        // Read-only like the first: a write on the pooled connection is refused by the server.
        #expect(throws: PostgresStoreError.self) { try readers.query("INSERT INTO counters VALUES ('x', 1)") }
    }

    @Test(
        "PostgreSQL: a frozen server (SIGSTOP): a statement, then a login, are given up as a lost connection; thawed, the session works again"
    )
    func frozenServer() async throws {
        let server = try await PostgreSQLServer()
        defer { server.stop() }
        let session = try PostgresSession(
            try PostgresLocation(url: server.url + "?passfile=" + server.passwordFile), environment: [:],
            answerDeadline: .seconds(2))
        #expect(try session.query("SELECT 1").count == 1)
        // A frozen host: its processes stopped, its sockets open, nothing answered, nothing closed.
        let frozen = server.processIDs
        for pid in frozen { kill(pid, SIGSTOP) }
        var thawed = false
        defer { if !thawed { for pid in frozen { kill(pid, SIGCONT) } } }
        let statement = #expect(throws: PostgresStoreError.self) { try session.query("SELECT 1") }
        #expect(statement?.isConnectionLost == true)
        #expect(
            statement?.message.contains("no answer from the server within 2 s") == true,
            "\(String(describing: statement))")
        // The next call connects anew: the server's kernel takes the connection, the login is
        // never answered (postgres-nio's own timeout covers the TCP connection only).
        let login = #expect(throws: PostgresStoreError.self) { try session.query("SELECT 1") }
        #expect(login?.isConnectionLost == true)
        #expect(login?.message.contains("cannot reach the server") == true, "\(String(describing: login))")
        #expect(Store.isTransient(try #require(login)))
        for pid in frozen { kill(pid, SIGCONT) }
        thawed = true
        try await waitUntil("the session answers again", timeout: .seconds(30), pollEvery: .milliseconds(100)) {
            (try? session.query("SELECT 1"))?.count == 1
        }
    }

    @Test("PostgreSQL: with several collectors the first answer to a request stands, and a start makes one window")
    func firstAnswerStands() async throws {
        let fixture = try await StoreFixture(.postgresql)
        // Two daemons' stores on one database (and the CLI's).
        let storeA = fixture.store
        let storeB = try fixture.open(for: .ingest)
        let cli = try fixture.open(for: .queueRequests).alerts
        let doLow = RoleStoresEquivalenceTests.doLow
        let request = try cli.requestAcknowledgement(alertID: doLow, by: "lan", note: nil, at: Instants.july1(hours: 6))
        #expect(try storeB.alertWriter.pendingAcknowledgements().map(\.id) == [request])
        try storeA.alertWriter.completeAcknowledgement(request, status: "applied", detail: "acknowledged by lan")
        try storeB.alertWriter.completeAcknowledgement(request, status: "rejected", detail: "not active here")
        #expect(try cli.acknowledgementRequest(id: request)?.status == "applied")
        #expect(try cli.acknowledgementRequest(id: request)?.detail == "acknowledged by lan")
        #expect(try storeB.alertWriter.pendingAcknowledgements().isEmpty)

        // Both daemons take the start: one window, and the second gets it back.
        let daemonA = storeA.maintenance
        let daemonB = storeB.maintenance
        let window = MaintenanceWindow(
            sensor: "lh-wq-01", kind: .calibrating, start: Instants.july1(hours: 8), note: "DO membrane", by: "lan")
        let start = try daemonA.request(.start, window, at: Instants.july1(hours: 7))
        #expect(try daemonB.pendingRequests().map(\.id) == [start])
        let opened = try daemonA.open(window, request: start, at: Instants.july1(hours: 7, minutes: 1))
        let again = try daemonB.open(window, request: start, at: Instants.july1(hours: 7, minutes: 1))
        #expect(again == opened)
        #expect(try daemonA.windows().count == 1)
        // A refusal after the start was applied changes nothing.
        try daemonB.refuse(request: start, because: "lh-wq-01 already has maintenance window 1")
        #expect(try daemonA.request(id: start)?.status == "applied")
        #expect(try daemonA.request(id: start)?.windowID == opened.id)

        // An end: the daemon that finds the window already ended refuses, and the answer that
        // stands is the first daemon's.
        let end = try daemonA.request(
            .end, MaintenanceWindow(sensor: "lh-wq-01", kind: .maintenance, start: Instants.july1(hours: 9)),
            at: Instants.july1(hours: 9))
        try daemonA.close(window: opened.id, at: Instants.july1(hours: 9), by: "lan", request: end)
        try daemonB.refuse(request: end, because: "lh-wq-01 has no open maintenance window")
        #expect(try daemonB.request(id: end)?.status == "applied")
        #expect(try daemonB.request(id: end)?.detail == "window \(opened.id) ended")

        // A refused start is not opened by a daemon coming later.
        let refused = try daemonA.request(.start, window, at: Instants.july1(hours: 10))
        try daemonA.refuse(request: refused, because: "unknown sensor")
        #expect(throws: StoreError.self) {
            try daemonB.open(window, request: refused, at: Instants.july1(hours: 10))
        }
        #expect(try daemonA.windows().count == 1)
    }

    @Test("PostgreSQL: a target has one sender: other collectors see nothing to send until its session ends")
    func oneSenderPerTarget() async throws {
        let fixture = try await StoreFixture(.postgresql)
        let mine = fixture.store.outbox
        try mine.enqueue([
            RoleStoresEquivalenceTests.dataFile("so-tnmt", station: "lh_wq01", hour: 1),
            RoleStoresEquivalenceTests.dataFile("backup-ftp", station: "lh_wq01", hour: 1),
        ])
        let observer = try fixture.open(for: .ingest).outbox
        try Self.withOtherCollector(fixture) { other in
            #expect(try other.next(target: "so-tnmt")?.id == 1)
            // The same collector asks again (every poll): still its target, one lock.
            #expect(try other.next(target: "so-tnmt")?.id == 1)
            #expect(try mine.next(target: "so-tnmt") == nil)
            #expect(try observer.next(target: "so-tnmt") == nil)
            // The entry is still there for everything else that reads it.
            #expect(try mine.entry(id: 1)?.sentAt == nil)
            #expect(try mine.status().first { $0.target == "so-tnmt" }?.backlog == 1)
            // Another target is free for whoever asks first.
            #expect(try mine.next(target: "backup-ftp")?.id == 2)
            #expect(try other.next(target: "backup-ftp") == nil)
            // This database's sender locks only: the server is shared with other tests' databases.
            let locks = try fixture.integer(
                """
                SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2 AND granted
                AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """)
            #expect(locks == 2)
        }

        // The sender's session ended with its store (a stopped daemon): the target is taken over,
        // once the server has seen the connection close.
        var takenOver: OutboxEntry?
        try await waitUntil("so-tnmt free again after its sender's session ended", timeout: .seconds(10)) {
            takenOver = try mine.next(target: "so-tnmt")
            return takenOver != nil
        }
        #expect(takenOver?.id == 1)
        #expect(try observer.next(target: "so-tnmt") == nil)
    }

    /// `body` with the outbox of another collector's store, closed (its session ended) on return.
    static func withOtherCollector(_ fixture: StoreFixture, _ body: (any OutboxStore) throws -> Void) throws {
        let other = try fixture.open(for: .ingest)
        try withExtendedLifetime(other) { try body(other.outbox) }
    }
}
