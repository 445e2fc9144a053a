import Foundation
import Synchronization

/// A real pure-ftpd on a free loopback port, with one virtual user (password login, chrooted to
/// `home`), for the Transfer tests. Optional explicit FTPS (`AUTH TLS`) with a test CA's certificate.
///
/// pure-ftpd rather than vsftpd: its virtual users live in a file we make with `pure-pw` (no PAM,
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
        let account = unprivilegedAccount()
        let passwd = try await runProcess(
            "/usr/bin/pure-pw",
            [
                "useradd", username, "-u", "\(account.uid)", "-g", "\(account.gid)", "-d", directory.file("home"),
                "-f", directory.file("passwd"), "-m", "-F", directory.file("users.pdb"),
            ], stdin: "\(password)\n\(password)\n", timeout: .seconds(30))
        guard passwd.succeeded else { throw TestSupportError("pure-pw useradd failed: \(passwd)") }

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

    package var pid: Int32 { child.pid }

    package func stop() { stopServer(child) }

    deinit { stopServer(child) }
}
