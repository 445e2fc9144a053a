import Foundation
import Synchronization

/// A real PostgreSQL 15 server (Debian's postgresql-15) in a fresh temporary data directory on a free
/// loopback port, with one database and one login role with a password, for the PostgreSQL backend's
/// tests (issue 17). Stopped when the last reference goes away (a safety net: tests call `stop()`).
///
///     let postgres = try await PostgreSQLServer()
///     ... connect to postgres.url ("postgres://envmon@127.0.0.1:PORT/envmon") with the password
///         in postgres.passwordFile (libpq's format, 0600) ...
///     try await postgres.runSQL("SELECT count(*) FROM readings")   // "42"
///     try await postgres.crash()    // kill -9: the server and its backends, no shutdown checkpoint
///     try await postgres.start()    // same data directory and port; crash recovery
///
/// fsync stays on (only initdb skips it): the fault tests count on committed data being durable.
package final class PostgreSQLServer: Sendable {
    /// Where Debian's postgresql-15 and postgresql-client-15 put the programs (not on PATH).
    package static let binaries = "/usr/lib/postgresql/15/bin"

    package let directory: TemporaryDirectory
    package let port: Int
    package let username = "envmon"
    package let database = "envmon"
    package let password: String
    /// Added to every start as `-c name=value` (e.g. `statement_timeout`, `max_connections`).
    package let settings: [String: String]
    /// `postgres://envmon@127.0.0.1:PORT/envmon`: no password in it; libpq finds it in `passwordFile`.
    package var url: String { "postgres://\(username)@127.0.0.1:\(port)/\(database)" }
    /// A libpq password file (`host:port:database:user:password`, mode 0600) for `url`, any database.
    package var passwordFile: String { directory.file("passfile") }
    package var dataDirectory: String { directory.file("data") }
    /// The Unix socket's directory: where the superuser ("postgres", trusted) comes in to set up.
    package var socketDirectory: String { directory.path }

    private let current: Mutex<ChildProcess?>

    /// Runs initdb, starts the server and returns once it accepts connections, with the database and
    /// the role made. `startTimeout` bounds each step (initdb, start-up), not their sum.
    package init(
        settings: [String: String] = [:],
        password: String = "pg-secret-\(UInt64.random(in: 0...UInt64.max))",
        startTimeout: Duration = .seconds(60)
    ) async throws {
        let directory = try TemporaryDirectory(prefix: "envmon-postgres")
        self.directory = directory
        self.password = password
        self.settings = settings
        if geteuid() == 0 {
            // The server runs as "nobody" and must own what it writes (and initdb makes `data` here).
            let account = unprivilegedAccount()
            guard chown(directory.path, account.uid, account.gid) == 0 else {
                throw TestSupportError("chown \(directory.path) failed: \(String(cString: strerror(errno)))")
            }
        }
        try await Self.initializeDataDirectory(directory, timeout: startTimeout)
        let (child, port) = try await launchOnFreeLoopbackPort(
            "postgres", timeout: startTimeout,
            launch: { port in try Self.launch(directory: directory, port: port, settings: settings) },
            ready: Self.acceptsConnections)
        self.port = port
        self.current = Mutex(child)
        do {
            // The password goes in the SQL on psql's standard input (a file in psql's own 0700
            // temporary directory), never in an argument list; the server keeps only its SCRAM verifier.
            try await runSQLAsSuperuser(
                """
                SET password_encryption = 'scram-sha-256';
                CREATE ROLE \(username) LOGIN PASSWORD '\(password.replacingOccurrences(of: "'", with: "''"))';
                CREATE DATABASE \(database) OWNER \(username);
                """, database: "postgres", timeout: startTimeout)
            try writePasswordFile()
        } catch {
            shutDown(timeout: .seconds(10))
            throw error
        }
    }

    /// The postmaster's process id while it runs.
    package var pid: Int32? { current.withLock { $0?.isRunning == true ? $0?.pid : nil } }
    package var isRunning: Bool { pid != nil }
    /// The postmaster and every process it forked (checkpointer, WAL writer, one backend per session),
    /// for tests that check a crash or a stop left nothing behind. Empty when it does not run.
    package var processIDs: [Int32] { pid.map { [$0] + descendants(of: $0) } ?? [] }
    /// The server's log since its latest start (it logs to stderr).
    package var log: String { current.withLock { $0?.stderrSoFar } ?? "" }

    /// Runs `sql` through psql as the password role over TCP: `url` and `passwordFile` (or another
    /// password file, for "wrong password" tests), as a client of the backend connects. Returns the
    /// rows unaligned ("|" between columns, no headers, no trailing newline); throws with psql's stderr
    /// when a statement fails (ON_ERROR_STOP) or the login is refused.
    @discardableResult
    package func runSQL(
        _ sql: String, passwordFile: String? = nil, timeout: Duration = .seconds(60)
    ) async throws -> String {
        try await Self.runPSQL(sql, connection: url, passwordFile: passwordFile ?? self.passwordFile, timeout: timeout)
    }

    /// Runs `sql` through psql as the superuser "postgres" over the Unix socket (trusted there): for
    /// what the role may not do, or may not see (pg_authid, other databases).
    @discardableResult
    package func runSQLAsSuperuser(
        _ sql: String, database: String? = nil, timeout: Duration = .seconds(60)
    ) async throws -> String {
        try await Self.runPSQL(
            sql, connection: "host=\(socketDirectory) port=\(port) user=postgres dbname=\(database ?? self.database)",
            passwordFile: nil, timeout: timeout)
    }

    /// Starts the server again on the same data directory and port after `shutDown()` or `crash()`,
    /// and returns once it accepts connections (after crash recovery, if it crashed).
    package func start(timeout: Duration = .seconds(60)) async throws {
        if isRunning { throw TestSupportError("postgres already runs on port \(port)") }
        let child = try Self.launch(directory: directory, port: port, settings: settings)
        current.withLock { $0 = child }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while !(Self.acceptsConnections(child) && loopbackPortAcceptsConnections(port)) {
            // No other port to try: the data and the URL the test holds are this port's.
            if !child.isRunning {
                throw TestSupportError(
                    "postgres exited while starting again on port \(port): \(child.result()?.description ?? "")")
            }
            if clock.now >= deadline {
                Self.shutDown(child, timeout: .seconds(10))
                throw TestSupportError(
                    "postgres did not accept connections again on port \(port) within \(timeout)\n--- log ---\n"
                        + child.stderrSoFar)
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Fast shutdown (SIGINT: sessions ended, a shutdown checkpoint written) and wait; SIGKILL for the
    /// server and its children if it does not exit within `timeout`. Keeps the data for `start()`.
    package func shutDown(timeout: Duration = .seconds(30)) {
        guard let child = current.withLock({ $0 }) else { return }
        Self.shutDown(child, timeout: timeout)
    }

    /// A clean restart: `shutDown()`, then `start()` on the same data directory and port.
    package func restart(timeout: Duration = .seconds(60)) async throws {
        shutDown(timeout: timeout)
        try await start(timeout: timeout)
    }

    /// SIGKILL for the postmaster and every process it forked at once, as when the machine goes down:
    /// no shutdown checkpoint, sessions cut. `start()` then runs crash recovery. Killing the postmaster
    /// alone is not that: a backend busy in a query notices its death only when it next waits, and
    /// keeps running (and holding the shared memory a new postmaster refuses to share) until then.
    package func crash(timeout: Duration = .seconds(10)) async throws {
        guard let child = current.withLock({ $0 }), child.isRunning else { return }
        let processes = [child.pid] + descendants(of: child.pid)
        for process in processes { kill(process, SIGKILL) }
        // Reaped as well: `start()` goes by the postmaster's exit, and postgres by its PID being free.
        try await waitUntil("postgres processes \(processes) gone after SIGKILL", timeout: timeout) {
            !child.isRunning && !processes.contains(where: processIsAlive)
        }
    }

    /// Shuts the server down and removes its directory, data and all: nothing of it stays behind.
    package func stop(timeout: Duration = .seconds(30)) {
        shutDown(timeout: timeout)
        try? FileManager.default.removeItem(atPath: directory.path)
    }

    deinit {
        shutDown(timeout: .seconds(10))
    }

    // MARK: - Internals

    /// initdb and postgres refuse to run as root (a server that can write anywhere is one bug away
    /// from the whole machine), and the tests run as root here and on CI. As root they run as
    /// "nobody" through util-linux's setpriv (Essential in Debian, unlike sudo), which execs in
    /// place: the PID we signal is the server's own. runuser would stay as its parent (for PAM),
    /// and a SIGKILL for runuser is no crash of the server.
    static func commandAsServerUser(
        _ program: String, _ arguments: [String]
    ) -> (executable: String, arguments: [String]) {
        let executable = binaries + "/" + program
        guard geteuid() == 0 else { return (executable, arguments) }
        let account = unprivilegedAccount()
        return (
            "/usr/bin/setpriv",
            ["--reuid=\(account.uid)", "--regid=\(account.gid)", "--clear-groups", executable] + arguments
        )
    }

    static func initializeDataDirectory(_ directory: TemporaryDirectory, timeout: Duration) async throws {
        let (executable, arguments) = commandAsServerUser(
            "initdb",
            [
                "--pgdata", directory.file("data"), "--username", "postgres",
                // The superuser only through the socket in our 0700 directory; every TCP login by password.
                "--auth-local", "trust", "--auth-host", "scram-sha-256",
                // The same text and order on every machine, whatever its locale; UTF-8 for Vietnamese names.
                "--encoding", "UTF8", "--locale", "C.UTF-8",
                // Nothing of initdb's own work needs to outlive a crash of this machine: skipping its
                // fsyncs saves seconds per server. The server itself syncs as it always does.
                "--no-sync", "--no-instructions",
            ])
        // In our directory: as "nobody", postgres cannot read the test's working directory.
        let result = try await runProcess(executable, arguments, currentDirectory: directory.path, timeout: timeout)
        guard result.succeeded else { throw TestSupportError("initdb failed: \(result)") }
    }

    static func launch(directory: TemporaryDirectory, port: Int, settings: [String: String]) throws -> ChildProcess {
        var arguments = [
            "-D", directory.file("data"), "-p", "\(port)",
            "-c", "listen_addresses=127.0.0.1",
            // Not /var/run/postgresql: that belongs to the system's clusters (and "nobody" cannot write it).
            "-c", "unix_socket_directories=\(directory.path)",
        ]
        for (name, value) in settings.sorted(by: { $0.key < $1.key }) { arguments += ["-c", "\(name)=\(value)"] }
        let (executable, wrapped) = commandAsServerUser("postgres", arguments)
        return try ChildProcess(
            executable, wrapped, currentDirectory: directory.path, outputDirectory: directory.path)
    }

    /// Logged once recovery (if any) is over: before it, the port is open but logins are refused
    /// ("the database system is starting up"). Checking our own log also keeps us from mistaking
    /// another server on a reused port for ours.
    static func acceptsConnections(_ child: ChildProcess) -> Bool {
        child.stderrSoFar.contains("database system is ready to accept connections")
    }

    func writePasswordFile() throws {
        // libpq's format: `\` and `:` in a field are escaped with `\`.
        let escaped = password.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ":", with: "\\:")
        let line = "127.0.0.1:\(port):*:\(username):\(escaped)\n"
        guard FileManager.default.createFile(atPath: passwordFile, contents: Data(line.utf8)),
            // libpq ignores a password file that the group or others may read.
            chmod(passwordFile, 0o600) == 0
        else { throw TestSupportError("cannot write \(passwordFile): \(String(cString: strerror(errno)))") }
    }

    static func runPSQL(
        _ sql: String, connection: String, passwordFile: String?, timeout: Duration
    ) async throws -> String {
        // Only what we say: a PGPASSWORD, PGHOST or PGSSLMODE of the caller's would change what is tested.
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        environment["PGCLIENTENCODING"] = "UTF8"
        environment["PGCONNECT_TIMEOUT"] = "10"
        if let passwordFile { environment["PGPASSFILE"] = passwordFile }
        let result = try await runProcess(
            binaries + "/psql",
            [
                // -X: no ~/.psqlrc; -w: never prompt for a password (fail instead); -q -A -t: bare rows.
                "-X", "-w", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", connection, "-f", "-",
            ], environment: environment, inheritEnvironment: false, stdin: sql, timeout: timeout)
        guard result.succeeded else {
            throw TestSupportError("psql on \(connection) failed (\(result.exitStatus)): \(result.stderr)")
        }
        var output = result.stdout
        while output.hasSuffix("\n") { output.removeLast() }
        return output
    }

    /// SIGINT (fast shutdown); SIGKILL for the server and its children if it is not gone in time.
    static func shutDown(_ child: ChildProcess, timeout: Duration) {
        guard child.isRunning else { return }
        child.send(SIGINT)
        child.send(SIGCONT)  // a stopped postmaster handles SIGINT only once it runs again
        if !child.waitForExitBlocking(timeout: timeout) {
            for process in descendants(of: child.pid) { kill(process, SIGKILL) }
            child.send(SIGKILL)
            _ = child.waitForExitBlocking(timeout: .seconds(5))
        }
    }
}

/// True while `pid` runs: a zombie counts as gone. The children of a killed postmaster are reparented
/// to PID 1, and not every container's PID 1 reaps them, so they can stay zombies for good.
package func processIsAlive(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
    else { return false }
    // "pid (comm) state ...": the state letter follows the command's closing parenthesis.
    let state = stat[stat.index(after: close)...].split(separator: " ").first
    return state != "Z" && state != "X"
}
