import CSystemShims
import Foundation
import Synchronization

/// One real PostgreSQL 15 server for the whole test process, started by the first test that asks
/// and shared by every later one, and a fresh, empty database on it per test: a backend test then
/// costs a `CREATE DATABASE` (milliseconds), not an initdb and a start-up (seconds).
///
///     let database = try await SharedPostgreSQLServer.freshDatabase()
///     ... open database.location ("postgres://envmon@127.0.0.1:PORT/t_...?passfile=...") ...
///
/// The server is stopped (and its directory removed) when the process exits, and killed by a
/// watchdog when the process dies without exiting (a crash, SIGKILL, a runner's timeout): it never
/// outlives the tests. Tests that crash, stop or restart a server, or change its settings, start a
/// `PostgreSQLServer` of their own: every test in the process shares this one.
///
/// Unlike a `PostgreSQLServer` of its own, this one does not sync to disk (`fsync`,
/// `synchronous_commit` and `full_page_writes` off): nothing on it has to survive a crash, and
/// the tests it serves commit thousands of small transactions.
package enum SharedPostgreSQLServer {
    /// Sessions open at once: every parallel test holds a few (writer, readers, a second collector).
    static let settings = [
        "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off", "max_connections": "300",
    ]

    /// The server, started on first use; concurrent first callers wait for the same start. A start
    /// that failed is not tried again: every caller gets its error.
    package static func server() async throws -> PostgreSQLServer {
        try await starter.server()
    }

    /// A new empty database owned by the password role (so it may create its tables), named
    /// `t_` and 16 random hex digits. Left in place after the test: the server's directory goes
    /// with the process, and a drop could race a store the test still holds.
    package static func freshDatabase() async throws -> PostgreSQLDatabase {
        let server = try await server()
        let name = "t_" + String(UInt64.random(in: 0...UInt64.max), radix: 16).leftPadded(to: 16)
        try await server.runSQLAsSuperuser(
            "CREATE DATABASE \(name) OWNER \(server.username)", database: "postgres")
        return PostgreSQLDatabase(server: server, name: name)
    }

    private static let starter = Starter()

    private actor Starter {
        private var starting: Task<PostgreSQLServer, any Error>?

        func server() async throws -> PostgreSQLServer {
            let task = starting ?? Task { try await SharedPostgreSQLServer.start() }
            starting = task
            return try await task.value
        }
    }

    /// The running server, for the exit handler (a C function pointer captures nothing).
    private static let running = Mutex<PostgreSQLServer?>(nil)

    private static func start() async throws -> PostgreSQLServer {
        let server = try await PostgreSQLServer(settings: settings)
        guard let postmaster = server.pid else {
            server.stop()
            throw TestSupportError("the shared PostgreSQL server exited right after it started:\n\(server.log)")
        }
        do {
            try startWatchdog(postmaster: postmaster, directory: server.directory.path)
        } catch {
            server.stop()
            throw error
        }
        running.withLock { $0 = server }
        // A normal exit (the test runner's `exit`): a fast shutdown, then the directory removed.
        atexit { SharedPostgreSQLServer.running.withLock { $0 }?.stop(timeout: .seconds(10)) }
        return server
    }

    /// A shell that reads a pipe whose only writing end this process holds (close-on-exec, so no
    /// child inherits it): when this process is gone, however it went, the kernel closes that end,
    /// the shell reads end-of-file and shuts the postmaster down (SIGQUIT: it ends its backends,
    /// then exits; SIGKILL if it is still there after 10 s), then removes the server's directory.
    /// After a normal exit the server is already stopped and the shell only finds nothing to do.
    /// It ignores the terminal's signals: a Ctrl-C of the test run must not end the watchdog first.
    private static func startWatchdog(postmaster: Int32, directory: String) throws {
        let script = """
            trap '' INT TERM HUP QUIT
            cat >/dev/null
            alive() { grep -q '^[0-9]* (postgres) [^ZX]' "/proc/$1/stat" 2>/dev/null; }
            if alive "$1"; then
                kill -QUIT "$1" 2>/dev/null
                tries=0
                while alive "$1" && [ "$tries" -lt 200 ]; do sleep 0.05; tries=$((tries + 1)); done
                alive "$1" && kill -KILL "$1" 2>/dev/null
            fi
            rm -rf "$2"
            """
        var ends: [Int32] = [0, 0]
        // pipe2(O_CLOEXEC) is hidden without _GNU_SOURCE; a child spawned by another thread in
        // between would only hold the pipe open as long as it lives (ours close every descriptor).
        guard pipe(&ends) == 0, fcntl(ends[1], F_SETFD, FD_CLOEXEC) == 0 else {
            throw TestSupportError("pipe failed: \(String(cString: strerror(errno)))")
        }
        defer { close(ends[0]) }

        do {
            _ = try spawnProcess(
                path: "/bin/sh",
                argv: ["/bin/sh", "-c", script, "envmon-postgres-watchdog", "\(postmaster)", directory],
                env: ["PATH=/usr/bin:/bin"]
            ) { actions in
                posix_spawn_file_actions_adddup2(&actions, ends[0], 0)
                posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
                posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            }
        } catch {
            close(ends[1])
            throw TestSupportError("cannot start the PostgreSQL watchdog: \(error)")
        }
        // ends[1] stays open, unused, for the rest of the process: its closing is the signal.
    }
}

/// One database on the shared server (`SharedPostgreSQLServer.freshDatabase()`), reached as the
/// server's password role over TCP, as a store's client reaches it.
package struct PostgreSQLDatabase: Sendable, CustomStringConvertible {
    package let server: PostgreSQLServer
    package let name: String

    /// `postgres://envmon@127.0.0.1:PORT/NAME`: no password in it.
    package var url: String { "postgres://\(server.username)@127.0.0.1:\(server.port)/\(name)" }
    /// The server's libpq password file: its line matches every database.
    package var passwordFile: String { server.passwordFile }
    /// `url` with `?passfile=`: what a store location (`--db`) takes.
    package var location: String { url + "?passfile=" + passwordFile }

    package var description: String { url }

    /// Runs `sql` through psql as the password role on this database (see `PostgreSQLServer.runSQL`).
    @discardableResult
    package func runSQL(_ sql: String, timeout: Duration = .seconds(60)) async throws -> String {
        try await PostgreSQLServer.runPSQL(sql, connection: url, passwordFile: passwordFile, timeout: timeout)
    }

    /// Runs `sql` through psql as the superuser on this database.
    @discardableResult
    package func runSQLAsSuperuser(_ sql: String, timeout: Duration = .seconds(60)) async throws -> String {
        try await server.runSQLAsSuperuser(sql, database: name, timeout: timeout)
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
