internal import Foundation
import Glibc
import Synchronization
internal import SystemSupport

/// The stand-in for journald's native socket: a bound Unix datagram socket whose receiver thread
/// stamps each `KEY=value` datagram of one rule on arrival.
final class JournalDatagramSocket: Sendable {
    struct Event: Sendable {
        var notice: String
        var value: Double?
        /// Monotonic ns when recv returned.
        var arrival: Int64
    }

    let path: String
    let events = Locked<[Event]>([])
    private let descriptor: Int32
    private let stopped = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)

    init(path: String, rule: String) throws(SimulatorError) {
        self.path = path
        unlink(path)
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw SimulatorError("socket: \(String(cString: strerror(errno)))") }
        guard let address = UnixSocketAddress(path: path) else {
            close(descriptor)
            throw SimulatorError("\(path): socket path too long")
        }
        let result = address.withSocketAddress { bind(descriptor, $0, $1) }
        guard result == 0 else {
            let message = String(cString: strerror(errno))
            close(descriptor)
            throw SimulatorError("bind \(path): \(message)")
        }
        // A short timeout so the receiver notices stop(); a big buffer so the daemon never waits on us.
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var size: Int32 = 4 << 20
        setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        let thread = Thread { [self] in receive(rule: rule) }
        thread.start()
    }

    private func receive(rule: String) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !stopped.load(ordering: .relaxed) {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else { continue }
            let arrival = monotonicNanoseconds()
            var fields: [Substring: Substring] = [:]
            let text = String(decoding: buffer[0..<count], as: UTF8.self)
            for line in text.split(separator: "\n") {
                guard let equals = line.firstIndex(of: "=") else { continue }
                fields[line[..<equals]] = line[line.index(after: equals)...]
            }
            guard fields["ENVMON_RULE"].map(String.init) == rule, let notice = fields["ENVMON_NOTICE"] else { continue }
            let event = Event(
                notice: String(notice), value: fields["ENVMON_VALUE"].flatMap { Double(String($0)) }, arrival: arrival)
            events.update { $0.append(event) }
        }
        finished.store(true, ordering: .releasing)
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
        while !finished.load(ordering: .acquiring) { sleepNanoseconds(5_000_000) }
        close(descriptor)
        unlink(path)
    }
}
