import Foundation
import Synchronization
import SystemSupport

/// A TCP relay on a free loopback port to a real server (the broker), for tests that need a
/// client's packets to get lost on the way: with `holdsClientBytes` set, what the client sends
/// is read and thrown away, while what the server sends still reaches the client. That is how a
/// PUBACK gets lost before the client dies, so the broker redelivers the message afterwards.
///
///     let relay = try TCPRelay(to: broker.port)   // connect the client to relay.url
///     relay.holdsClientBytes = true
package final class TCPRelay: @unchecked Sendable {
    package let port: Int
    package var url: String { "mqtt://127.0.0.1:\(port)" }
    private let listener: Int32
    private let upstreamPort: Int
    private let state = Mutex<(hold: Bool, stopped: Bool, sockets: [Int32], dropped: Int)>(
        (false, false, [], 0))

    package init(to upstreamPort: Int) throws {
        self.upstreamPort = upstreamPort
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw TestSupportError("relay socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = loopbackAddress(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(listener, 8) == 0 else {
            close(listener)
            throw TestSupportError("relay bind/listen: \(String(cString: strerror(errno)))")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit { stop() }

    /// While true, bytes from the client are discarded instead of forwarded.
    package var holdsClientBytes: Bool {
        get { state.withLock { $0.hold } }
        set { state.withLock { $0.hold = newValue } }
    }

    /// Bytes from the client thrown away so far.
    package var droppedClientBytes: Int { state.withLock { $0.dropped } }

    /// Closes the listener and every relayed connection.
    package func stop() {
        let sockets = state.withLock { state -> [Int32] in
            guard !state.stopped else { return [] }
            state.stopped = true
            return state.sockets + [listener]
        }
        for socket in sockets {
            shutdown(socket, Int32(SHUT_RDWR))
            close(socket)
        }
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = loopbackAddress(port: upstreamPort)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            let accepted = state.withLock { state -> Bool in
                guard !state.stopped, connected == 0 else { return false }
                state.sockets += [client, server]
                return true
            }
            guard accepted else {
                close(client)
                close(server)
                continue
            }
            Thread { [self] in pump(from: client, to: server, fromClient: true) }.start()
            Thread { [self] in pump(from: server, to: client, fromClient: false) }.start()
        }
    }

    private func pump(from source: Int32, to destination: Int32, fromClient: Bool) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            if fromClient && holdsClientBytes {
                state.withLock { $0.dropped += count }
                continue
            }
            do {
                try buffer.withUnsafeBytes {
                    try FileDescriptorWriter.writeAll(UnsafeRawBufferPointer(rebasing: $0[..<count]), to: destination)
                }
            } catch {
                return
            }
        }
        shutdown(destination, Int32(SHUT_WR))
    }
}
