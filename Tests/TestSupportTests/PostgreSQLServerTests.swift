import Foundation
import PostgresNIO
import TestSupport
import Testing

/// The PostgreSQL 15 test server the backend's tests (issue 17) will stand on: a real server per
/// test, logins by password over loopback TCP, a crash that keeps what was committed, and nothing
/// left behind by `stop()`.
@Suite struct PostgreSQLServerTests {
    @Test func answersSQLAsThePasswordRoleAndRefusesAWrongPassword() async throws {
        let postgres = try await PostgreSQLServer()
        defer { postgres.stop() }
        #expect(postgres.url == "postgres://envmon@127.0.0.1:\(postgres.port)/envmon")
        let seen = try await postgres.runSQL("SELECT current_user, current_database(), inet_server_port()")
        #expect(seen == "envmon|envmon|\(postgres.port)")
        // The role owns its database: it can make tables there, as the backend's migrations will.
        try await postgres.runSQL("CREATE TABLE readings (value double precision); INSERT INTO readings VALUES (21.5)")
        #expect(try await postgres.runSQL("SELECT value FROM readings") == "21.5")

        // SCRAM both ways: the stored verifier, and what TCP logins must use.
        let verifier = try await postgres.runSQLAsSuperuser(
            "SELECT rolpassword FROM pg_authid WHERE rolname = 'envmon'")
        #expect(verifier.hasPrefix("SCRAM-SHA-256$"))
        let methods = try await postgres.runSQLAsSuperuser(
            "SELECT DISTINCT auth_method FROM pg_hba_file_rules WHERE type = 'host'")
        #expect(methods == "scram-sha-256")
        let attributes = try FileManager.default.attributesOfItem(atPath: postgres.passwordFile)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        let wrong = try TemporaryDirectory(prefix: "envmon-postgres-test")
        let wrongFile = try wrong.write("passfile", "127.0.0.1:\(postgres.port):*:envmon:not-the-password\n")
        chmod(wrongFile, 0o600)
        let refused = await #expect(throws: TestSupportError.self) {
            try await postgres.runSQL("SELECT 1", passwordFile: wrongFile)
        }
        #expect(refused?.description.contains("password authentication failed for user \"envmon\"") == true)
    }

    @Test func runsAsAnUnprivilegedUserWhenTheTestsRunAsRoot() async throws {
        let postgres = try await PostgreSQLServer()
        defer { postgres.stop() }
        let pid = try #require(postgres.pid)
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let uid = status.split(separator: "\n").first { $0.hasPrefix("Uid:") }?.split(separator: "\t").dropFirst()
            .first
        let expected = geteuid() == 0 ? getpwnam("nobody")!.pointee.pw_uid : geteuid()
        #expect(uid.map(String.init) == "\(expected)")
        // The server's own socket, not the system's /var/run/postgresql.
        #expect(try await postgres.runSQLAsSuperuser("SHOW unix_socket_directories") == postgres.socketDirectory)
        // Durability as in production: the fault tests count on it.
        #expect(try await postgres.runSQLAsSuperuser("SHOW fsync") == "on")
    }

    @Test func twoServersRunSideBySideWithTheirOwnData() async throws {
        async let starting = PostgreSQLServer()
        let first = try await PostgreSQLServer()
        defer { first.stop() }
        let second = try await starting
        defer { second.stop() }
        #expect(first.port != second.port)
        #expect(first.directory.path != second.directory.path)
        try await first.runSQL("CREATE TABLE only_in_the_first (id int)")
        #expect(try await first.runSQL("SELECT to_regclass('only_in_the_first')") == "only_in_the_first")
        #expect(try await second.runSQL("SELECT to_regclass('only_in_the_first') IS NULL") == "t")
        // Each password file names its own server's port: the first's password does not open the second.
        await #expect(throws: (any Error).self) {
            try await second.runSQL("SELECT 1", passwordFile: first.passwordFile)
        }
    }

    @Test func aCrashKeepsCommittedRowsAndLosesTheUncommitted() async throws {
        let postgres = try await PostgreSQLServer()
        defer { postgres.stop() }
        try await postgres.runSQL(
            "CREATE TABLE readings (id int); INSERT INTO readings SELECT generate_series(1, 1000)")
        // A transaction left open in a session of its own, its backend busy in a long query when the
        // machine dies. Busy, it would not notice the postmaster's death: crash() must kill it too.
        let busy = try ChildProcess(
            PostgreSQLServer.binaries + "/psql",
            [
                "-X", "-w", "-q", "-d", postgres.url, "-c",
                "BEGIN; INSERT INTO readings VALUES (-1); SELECT sum(n) FROM (SELECT generate_series(1, 1e12) n) s",
            ], environment: ["PGPASSFILE": postgres.passwordFile])
        defer { busy.send(SIGKILL) }
        try await waitUntil("the open transaction's insert, then its long query", timeout: .seconds(30)) {
            try await postgres.runSQLAsSuperuser(
                """
                SELECT count(*) FROM pg_stat_activity
                WHERE query LIKE 'BEGIN; INSERT%' AND state = 'active' AND backend_xid IS NOT NULL
                """) == "1"
        }
        let processes = postgres.processIDs
        #expect(processes.count > 1)  // the postmaster and its children, the open session's backend among them

        try await postgres.crash()
        #expect(!postgres.isRunning)
        #expect(processes.allSatisfy { !processIsAlive($0) })
        #expect(!loopbackPortAcceptsConnections(postgres.port))

        try await postgres.start()
        #expect(postgres.log.contains("database system was not properly shut down; automatic recovery in progress"))
        #expect(try await postgres.runSQL("SELECT count(*), min(id), max(id) FROM readings") == "1000|1|1000")
    }

    @Test func aCleanRestartKeepsThePortAndTheData() async throws {
        let postgres = try await PostgreSQLServer()
        defer { postgres.stop() }
        try await postgres.runSQL("CREATE TABLE sites (name text); INSERT INTO sites VALUES ('Cát Hải')")
        let before = try #require(postgres.pid)
        postgres.shutDown()
        #expect(!postgres.isRunning)
        #expect(!processIsAlive(before))
        await #expect(throws: (any Error).self) { try await postgres.runSQL("SELECT 1") }

        try await postgres.start()
        #expect(postgres.pid != before)
        #expect(!postgres.log.contains("automatic recovery"))
        #expect(try await postgres.runSQL("SELECT name FROM sites") == "Cát Hải")
        try await postgres.restart()
        #expect(try await postgres.runSQL("SELECT count(*) FROM sites") == "1")
    }

    @Test func stopEndsEveryProcessAndRemovesTheDirectory() async throws {
        let postgres = try await PostgreSQLServer()
        try await postgres.runSQL("SELECT 1")
        let processes = postgres.processIDs
        #expect(processes.count > 1)
        #expect(FileManager.default.fileExists(atPath: postgres.dataDirectory + "/PG_VERSION"))

        postgres.stop()
        #expect(!postgres.isRunning)
        #expect(processes.allSatisfy { !processIsAlive($0) })
        #expect(!FileManager.default.fileExists(atPath: postgres.directory.path))
        #expect(!loopbackPortAcceptsConnections(postgres.port))
    }

    /// What the backend will do: read the URL and the libpq password file, connect with PostgresNIO
    /// over plain TCP (the test server has no TLS) and log in by SCRAM.
    @Test func postgresNIOConnectsWithTheURLAndThePasswordFile() async throws {
        let postgres = try await PostgreSQLServer()
        defer { postgres.stop() }
        let url = try #require(URLComponents(string: postgres.url))
        let host = try #require(url.host)
        let port = try #require(url.port)
        let username = try #require(url.user)
        let database = String(url.path.dropFirst())
        let passwordLine = try String(contentsOfFile: postgres.passwordFile, encoding: .utf8)
        // host:port:database:user:password; the password is last (and has no ':' to unescape here).
        let fields = passwordLine.trimmingCharacters(in: .newlines).split(separator: ":", maxSplits: 4)
        #expect(fields.count == 5 && fields[0] == "127.0.0.1" && fields[1] == "\(port)" && fields[3] == username)
        let password = String(try #require(fields.last))

        let client = PostgresClient(
            configuration: .init(
                host: host, port: port, username: username, password: password, database: database, tls: .disable))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            let rows = try await client.query(
                "SELECT current_user, current_database(), ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            var seen: [(String, String, Bool)] = []
            for try await row in rows.decode((String, String, Bool).self) { seen.append(row) }
            #expect(seen.count == 1)
            #expect(seen.first?.0 == "envmon")
            #expect(seen.first?.1 == "envmon")
            #expect(seen.first?.2 == false)
        }

        // A wrong password is refused at login (28P01, invalid_password): SCRAM really checks it.
        var wrongPassword = PostgresConnection.Configuration(
            host: host, port: port, username: username, password: "not-the-password", database: database,
            tls: .disable)
        wrongPassword.options.connectTimeout = .seconds(10)
        let refused = await #expect(throws: PSQLError.self) {
            let connection = try await PostgresConnection.connect(
                configuration: wrongPassword, id: 1, logger: Logger(label: "PostgreSQLServerTests"))
            try await connection.close()
        }
        #expect(refused?.serverInfo?[.sqlState] == "28P01")
    }
}
