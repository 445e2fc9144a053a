import Foundation
import Synchronization

/// A real mosquitto broker on a free loopback port, in its own temporary directory, for integration
/// tests. Stopped when the last reference goes away (a safety net: tests call `stop()` themselves).
///
///     let broker = try await MosquittoBroker(options: .init(persistence: true))
///     ... connect to broker.url ("mqtt://127.0.0.1:PORT") ...
///     try await broker.restart()     // same port, persistence kept
package final class MosquittoBroker: Sendable {
    /// Files for a TLS listener (PEM paths).
    package struct TLS: Sendable {
        package var caFile: String
        package var certFile: String
        package var keyFile: String
        /// Require clients to present a certificate signed by `caFile`.
        package var requireClientCertificate: Bool

        package init(caFile: String, certFile: String, keyFile: String, requireClientCertificate: Bool = false) {
            self.caFile = caFile
            self.certFile = certFile
            self.keyFile = keyFile
            self.requireClientCertificate = requireClientCertificate
        }
    }

    package struct Options: Sendable {
        /// `persistence true` with the database in the broker's temporary directory.
        package var persistence: Bool
        /// When not empty: a password file with these users (`mosquitto_passwd`), anonymous refused.
        package var users: [String: String]
        /// Used only when `users` is empty.
        package var allowAnonymous: Bool
        /// Appended verbatim, e.g. `max_queued_messages 0`, `max_inflight_messages 10`.
        package var extraConfig: [String]
        /// Adds a TLS listener on a second free port (`tlsURL`).
        package var tls: TLS?
        package var executable: String
        /// `log_type` lines. "all" logs every packet: good for post-mortems, costly in load tests
        /// (use e.g. ["error", "warning", "notice", "information"] there).
        package var logTypes: [String]

        package init(
            persistence: Bool = false, users: [String: String] = [:], allowAnonymous: Bool = true,
            extraConfig: [String] = [], tls: TLS? = nil, executable: String = "/usr/sbin/mosquitto",
            logTypes: [String] = ["all"]
        ) {
            self.logTypes = logTypes
            self.persistence = persistence
            self.users = users
            self.allowAnonymous = allowAnonymous
            self.extraConfig = extraConfig
            self.tls = tls
            self.executable = executable
        }
    }

    package let options: Options
    package let directory: TemporaryDirectory
    package let port: Int
    package let tlsPort: Int?
    package var configPath: String { directory.file("mosquitto.conf") }
    package var logPath: String { directory.file("mosquitto.log") }
    package var passwordFilePath: String { directory.file("passwords") }
    /// `mqtt://127.0.0.1:PORT`
    package var url: String { "mqtt://127.0.0.1:\(port)" }
    /// `mqtts://127.0.0.1:TLSPORT` when a TLS listener was asked for.
    package var tlsURL: String? { tlsPort.map { "mqtts://127.0.0.1:\($0)" } }

    private let process = Mutex<ChildProcess?>(nil)

    /// Starts the broker and returns once it accepts connections.
    package init(options: Options = Options(), startTimeout: Duration = .seconds(10)) async throws {
        self.options = options
        let directory = try TemporaryDirectory(prefix: "envmon-broker")
        self.directory = directory
        if !options.users.isEmpty {
            try await Self.writePasswordFile(directory.file("passwords"), users: options.users)
        }
        // A port that was free a moment ago may be taken by the time mosquitto binds it: retry.
        var lastError: (any Error)?
        for _ in 0..<5 {
            let port = try freeLoopbackPort()
            let tlsPort = options.tls == nil ? nil : try freeLoopbackPort()
            try Self.config(options, directory: directory, port: port, tlsPort: tlsPort)
                .write(toFile: directory.file("mosquitto.conf"), atomically: true, encoding: .utf8)
            do {
                let child = try await Self.launch(
                    options, directory: directory, ports: [port] + [tlsPort].compactMap { $0 }, timeout: startTimeout)
                self.port = port
                self.tlsPort = tlsPort
                process.withLock { $0 = child }
                return
            } catch {
                lastError = error
            }
        }
        throw lastError ?? TestSupportError("mosquitto did not start")
    }

    /// The broker's process id while it runs.
    package var pid: Int32? { process.withLock { $0?.isRunning == true ? $0?.pid : nil } }
    package var isRunning: Bool { pid != nil }
    /// The broker's log so far.
    package var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// SIGTERM (mosquitto saves its persistence database) and wait; SIGKILL if it does not exit in time.
    package func stop(timeout: Duration = .seconds(10)) {
        guard let child = process.withLock({ $0 }) else { return }
        child.send(SIGTERM)
        child.send(SIGCONT)  // a paused broker handles SIGTERM only once it runs again
        if !child.waitForExitBlocking(timeout: timeout) {
            child.send(SIGKILL)
            _ = child.waitForExitBlocking(timeout: .seconds(5))
        }
    }

    /// SIGKILL: no goodbye, no persistence save.
    package func kill() {
        guard let child = process.withLock({ $0 }) else { return }
        child.send(SIGKILL)
        _ = child.waitForExitBlocking(timeout: .seconds(5))
    }

    /// Stops the broker if it runs, then starts it again on the same port(s) with the same
    /// configuration and directory (so persisted sessions and messages survive).
    package func restart(timeout: Duration = .seconds(10)) async throws {
        stop()
        var lastError: (any Error)?
        // The old listening socket may linger for a moment; the port is ours, so retry briefly.
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        repeat {
            do {
                let child = try await Self.launch(
                    options, directory: directory, ports: [port] + [tlsPort].compactMap { $0 }, timeout: timeout)
                process.withLock { $0 = child }
                return
            } catch {
                lastError = error
                try await Task.sleep(for: .milliseconds(50))
            }
        } while clock.now < deadline
        throw lastError ?? TestSupportError("mosquitto did not restart")
    }

    /// SIGSTOP: the process freezes; its sockets stay open, so clients see a silent broker.
    package func pause() {
        process.withLock { $0 }?.send(SIGSTOP)
    }

    /// SIGCONT after `pause()`.
    package func resume() {
        process.withLock { $0 }?.send(SIGCONT)
    }

    /// SIGHUP: mosquitto reloads its password file and (some of) its configuration.
    package func reload() {
        process.withLock { $0 }?.send(SIGHUP)
    }

    /// Rewrites the password file (takes effect on `reload()` or `restart()`).
    package func setUsers(_ users: [String: String]) async throws {
        try await Self.writePasswordFile(passwordFilePath, users: users)
    }

    /// True once the log has `count` or more lines containing `text`.
    package func logContains(_ text: String, count: Int = 1) -> Bool {
        log.components(separatedBy: text).count - 1 >= count
    }

    deinit {
        stop(timeout: .seconds(5))
    }

    // MARK: - Internals

    static func config(_ options: Options, directory: TemporaryDirectory, port: Int, tlsPort: Int?) -> String {
        var lines: [String] = ["# generated by TestSupport.MosquittoBroker"]
        // As root mosquitto drops privileges to user "mosquitto", which cannot write our directory.
        if geteuid() == 0 { lines.append("user root") }
        lines += [
            "log_dest file \(directory.file("mosquitto.log"))"
        ]
        var logTypes = options.logTypes
        // The start-up check waits for the "running" line, logged at level "information".
        if !logTypes.contains("all") && !logTypes.contains("information") { logTypes.append("information") }
        lines += logTypes.map { "log_type \($0)" }
        lines += [
            "log_timestamp_format %Y-%m-%dT%H:%M:%S",
            "connection_messages true",
        ]
        if options.users.isEmpty {
            lines.append("allow_anonymous \(options.allowAnonymous)")
        } else {
            lines += ["allow_anonymous false", "password_file \(directory.file("passwords"))"]
        }
        if options.persistence {
            lines += ["persistence true", "persistence_location \(directory.path)/"]
        } else {
            lines.append("persistence false")
        }
        lines.append("listener \(port) 127.0.0.1")
        if let tls = options.tls, let tlsPort {
            lines += [
                "listener \(tlsPort) 127.0.0.1",
                "cafile \(tls.caFile)",
                "certfile \(tls.certFile)",
                "keyfile \(tls.keyFile)",
                "require_certificate \(tls.requireClientCertificate)",
            ]
        }
        lines += options.extraConfig
        return lines.joined(separator: "\n") + "\n"
    }

    static func launch(
        _ options: Options, directory: TemporaryDirectory, ports: [Int], timeout: Duration
    ) async throws
        -> ChildProcess
    {
        let logPath = directory.file("mosquitto.log")
        let startsBefore = startCount((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")
        let child = try ChildProcess(
            options.executable, ["-c", directory.file("mosquitto.conf")], outputDirectory: directory.path)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            // "running" is logged after all listeners are open; checking it (and that our process is
            // alive) keeps us from mistaking some other process on a reused port for our broker.
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            let started = startCount(log) > startsBefore
            if !child.isRunning {
                throw TestSupportError(
                    "mosquitto exited during start-up on ports \(ports): \(child.result()?.description ?? "")\n--- log ---\n\(log)"
                )
            }
            if started && ports.allSatisfy(loopbackPortAcceptsConnections) {
                return child
            }
            if clock.now >= deadline {
                child.send(SIGKILL)
                throw TestSupportError(
                    "mosquitto did not accept connections on \(ports) within \(timeout)\n--- log ---\n\(log)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// How many times the log says "mosquitto version X running" (logged once all listeners are open).
    static func startCount(_ log: String) -> Int {
        log.split(separator: "\n").count { $0.contains("mosquitto version") && $0.hasSuffix(" running") }
    }

    static func writePasswordFile(_ path: String, users: [String: String]) async throws {
        try? FileManager.default.removeItem(atPath: path)
        for (index, (user, password)) in users.sorted(by: { $0.key < $1.key }).enumerated() {
            let arguments = (index == 0 ? ["-b", "-c"] : ["-b"]) + [path, user, password]
            let result = try await runProcess("/usr/bin/mosquitto_passwd", arguments, timeout: .seconds(30))
            guard result.succeeded else {
                throw TestSupportError("mosquitto_passwd \(arguments.dropLast()) failed: \(result)")
            }
        }
        // mosquitto reads the file after dropping privileges; keep it readable only by us.
        chmod(path, 0o600)
    }
}
