import Foundation
import SystemSupport
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A datagram socket standing in for systemd's `$NOTIFY_SOCKET`: PID 1 here is not systemd.
final class NotifySocket: @unchecked Sendable {
    let path: String
    private let descriptor: Int32
    private let lock = NSLock()
    private var received: [String] = []

    init(directory: TemporaryDirectory, name: String = "notify.sock") throws {
        path = directory.file(name)
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard let address = UnixSocketAddress(path: path) else { throw HarnessError("\(path): socket path too long") }
        let result = address.withSocketAddress { bind(descriptor, $0, $1) }
        guard result == 0 else { throw HarnessError("bind \(path): errno \(errno)") }
        var timeout = timeval(tv_sec: 0, tv_usec: 50_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(descriptor) }

    /// Reads whatever datagrams arrived (each a newline-separated list of assignments).
    func drain() -> [String] {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count <= 0 { break }
            let text = String(decoding: buffer[0..<count], as: UTF8.self)
            lock.lock()
            received.append(contentsOf: text.split(separator: "\n").map(String.init))
            lock.unlock()
        }
        lock.lock()
        defer { lock.unlock() }
        return received
    }
}
