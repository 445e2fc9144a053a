import Foundation
import Synchronization

/// A real pure-ftpd on a free loopback port, with one virtual user (password login, chrooted to
/// `home`), for the Transfer tests. Optional explicit FTPS (`AUTH TLS`) with a test CA's certificate.
///
/// pure-ftpd rather than vsftpd: its virtual users live in a file indexed by `pure-pw mkdb` (no PAM,
/// no system account), and they run as an unprivileged uid ("nobody"), so a directory without
/// write permission really refuses uploads, although the tests run as root.
///
///     let ftp = try await FTPServer(tls: certificates)
///     try ftp.makeDirectory("outbox")
///     ... upload to ftp.url("outbox") as ftp.username / ftp.password ...
package final class FTPServer: Sendable {
    package let directory: TemporaryDirectory
    package let port: Int
    package let username = "envmon"
    package let password: String
    /// Whether the server offers `AUTH TLS` (explicit FTPS; pure-ftpd has no implicit FTPS).
    package let offersTLS: Bool
    /// The user's home on disk: "/" of its FTP view.
    package var home: String { directory.file("home") }

    private let current: Mutex<ChildProcess>
    private let executable: String
    private let arguments: [String]
    private var child: ChildProcess { current.withLock { $0 } }

    /// Starts pure-ftpd and returns once it accepts connections. With `tls`, the server offers
    /// `AUTH TLS` with `tls.certFile` (signed by `tls.caFile`) and still accepts plain FTP.
    package init(
        tls: TestCertificates? = nil, password: String = "ftp-secret-\(UInt32.random(in: 0...UInt32.max))",
        executable: String = "/usr/sbin/pure-ftpd", startTimeout: Duration = .seconds(10)
    ) async throws {
        let directory = try TemporaryDirectory(prefix: "envmon-ftp")
        self.directory = directory
        self.password = password
        self.offersTLS = tls != nil
        // mkdtemp makes 0700; the server's unprivileged side must reach the home below it.
        chmod(directory.path, 0o755)
        try makeServerDirectory(directory.file("home"), writable: true)
        try await Self.writeUserDatabase(
            username: username, password: password, home: directory.file("home"), in: directory)

        var common = [
            "-l", "puredb:\(directory.file("users.pdb"))",
            "-E",  // no anonymous logins
            "-A",  // chroot every user to its home
            "-H",  // no reverse DNS
            "-P", "127.0.0.1",  // passive replies name the loopback address
        ]
        if let tls {
            // -Y 1: TLS offered, plain FTP still accepted (the client decides: requireTLS).
            common += ["-Y", "1", "-2", "\(tls.certFile),\(tls.keyFile)"]
        }
        let arguments = common
        let (child, port) = try await launchOnFreeLoopbackPort("pure-ftpd", timeout: startTimeout) { port in
            try ChildProcess(executable, arguments + ["-S", "127.0.0.1,\(port)"], outputDirectory: directory.path)
        }
        self.current = Mutex(child)
        self.port = port
        self.executable = executable
        self.arguments = arguments
    }

    /// Starts the server again on the same port and home after `stop()` (an outage that ends).
    package func restart(timeout: Duration = .seconds(10)) async throws {
        let port = self.port
        let child = try ChildProcess(
            executable, arguments + ["-S", "127.0.0.1,\(port)"], outputDirectory: directory.path)
        current.withLock { $0 = child }
        try await waitUntil("pure-ftpd accepts connections again on \(port)", timeout: timeout) {
            loopbackPortAcceptsConnections(port)
        }
    }

    /// `ftp://127.0.0.1:PORT/<path>/`: a directory URL relative to the user's home.
    package func url(_ path: String = "") -> String {
        path.isEmpty ? "ftp://127.0.0.1:\(port)/" : "ftp://127.0.0.1:\(port)/\(path)/"
    }

    /// The on-disk path of `path` in the user's FTP view.
    package func file(_ path: String) -> String { home + "/" + path }

    /// Creates the directory `path` (relative to the home) writable by the FTP user, or read-only
    /// for it (owned by root, 0755) when `writable` is false.
    @discardableResult
    package func makeDirectory(_ path: String, writable: Bool = true) throws -> String {
        let target = file(path)
        try makeServerDirectory(target, writable: writable)
        return target
    }

    /// The user file (`passwd`, pure-ftpd's format) and its index (`users.pdb`). The password is hashed
    /// with SHA-512 crypt (`openssl passwd -6`), not by `pure-pw useradd`: its argon2id costs the server
    /// ~2.5 s of CPU per login, and with the whole suite in parallel on two cores several logins at once
    /// took over 30 s (an upload timed out after "150 Accepted data connection" in CI). What the tests
    /// check is the transfer, not the hash; the benchmark's server (`Simulator/lib.sh`) keeps pure-pw's.
    private static func writeUserDatabase(
        username: String, password: String, home: String, in directory: TemporaryDirectory
    ) async throws {
        let hashing = try await runProcess(
            "/usr/bin/openssl", ["passwd", "-6", "-stdin"], stdin: password + "\n", timeout: .seconds(30))
        let hash = hashing.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard hashing.succeeded, hash.hasPrefix("$6$") else {
            throw TestSupportError("openssl passwd -6 failed: \(hashing)")
        }
        let account = unprivilegedAccount()
        // user:hash:uid:gid:gecos:home/./ (the "/./" chroots the user there) and pure-ftpd's empty quota fields.
        let line = "\(username):\(hash):\(account.uid):\(account.gid)::\(home)/./::::::::::::\n"
        guard FileManager.default.createFile(atPath: directory.file("passwd"), contents: Data(line.utf8)) else {
            throw TestSupportError("cannot write \(directory.file("passwd"))")
        }
        let index = try await runProcess(
            "/usr/bin/pure-pw", ["mkdb", directory.file("users.pdb"), "-f", directory.file("passwd")],
            timeout: .seconds(30))
        guard index.succeeded else { throw TestSupportError("pure-pw mkdb failed: \(index)") }
    }

    package var pid: Int32 { child.pid }

    package func stop() { stopServer(child) }

    deinit { stopServer(child) }
}
