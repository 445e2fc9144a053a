internal import Foundation
internal import SystemSupport

#if canImport(Glibc)
    internal import Glibc
#endif

/// sd_notify without libsystemd: one datagram to `$NOTIFY_SOCKET` (a path, or `@name` for the
/// abstract namespace). Does nothing when the variable is unset (not run by systemd).
package struct SystemdNotifier: Sendable {
    package let socketPath: String?
    /// `WATCHDOG_USEC` from systemd, when the unit has `WatchdogSec=` and the PID matches.
    package let watchdogInterval: Duration?

    package init(environment: [String: String]? = nil) {
        let environment = environment ?? ProcessInfo.processInfo.environment
        socketPath = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        if let text = environment["WATCHDOG_USEC"], let microseconds = Int64(text), microseconds > 0,
            environment["WATCHDOG_PID"].map({ Int32($0) == getpid() }) ?? true
        {
            watchdogInterval = .microseconds(microseconds)
        } else {
            watchdogInterval = nil
        }
    }

    package var isEnabled: Bool { socketPath != nil }

    /// Sends `READY=1`, `STATUS=...`, `WATCHDOG=1`, `STOPPING=1` and the like. Errors are
    /// ignored: a missing notify socket must never stop the daemon.
    @discardableResult
    package func notify(_ state: String) -> Bool {
        guard let socketPath else { return false }
        return UnixDatagram.send(Array(state.utf8), to: socketPath)
    }
}

/// One datagram to a Unix socket path (`@name` for the abstract namespace): the whole of the
/// sd_notify and native journal protocols.
enum UnixDatagram {
    static func send(_ message: [UInt8], to socketPath: String) -> Bool {
        guard let address = UnixSocketAddress(path: socketPath) else { return false }
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        let sent = address.withSocketAddress { socketAddress, length in
            message.withUnsafeBytes { bytes in
                sendto(descriptor, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL), socketAddress, length)
            }
        }
        return sent == message.count
    }
}
