import Foundation

/// A bare MQTT 3.1.1 connection over a loopback socket, for packets no proper client library
/// will send (libmosquitto refuses invalid UTF-8, NUL and wildcards in a PUBLISH topic before
/// they leave the process). Blocking calls with a receive timeout; for tests only.
final class RawMQTTConnection {
    private let descriptor: Int32

    /// Connects to 127.0.0.1:`port`, sends CONNECT and waits for a successful CONNACK.
    init(port: Int, clientID: String = "raw-\(UInt32.random(in: 0...UInt32.max))") throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw HarnessError("socket: errno \(errno)") }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(descriptor)
            throw HarnessError("connect to 127.0.0.1:\(port): errno \(errno)")
        }
        // CONNECT: protocol "MQTT" level 4, clean session, keep-alive 60 s.
        let variable: [UInt8] = [0, 4] + Array("MQTT".utf8) + [4, 0x02, 0, 60]
        try transmit(packet(0x10, variable + Self.string(Array(clientID.utf8))))
        let connack = try receive(count: 4)
        guard connack == [0x20, 0x02, 0x00, 0x00] else {
            close(descriptor)
            throw HarnessError("unexpected CONNACK \(connack)")
        }
    }

    deinit { close(descriptor) }

    /// Sends a QoS 0 PUBLISH with `topic` as raw bytes, then a PINGREQ. True when the broker
    /// answered the ping (it took the PUBLISH); false when it closed the connection instead.
    func publishIsAccepted(topic: [UInt8], payload: [UInt8]) throws -> Bool {
        try transmit(packet(0x30, Self.string(topic) + payload))
        try transmit([0xC0, 0x00])
        do {
            return try receive(count: 2) == [0xD0, 0x00]
        } catch is ConnectionClosed {
            return false
        }
    }

    struct ConnectionClosed: Error {}

    private static func string(_ bytes: [UInt8]) -> [UInt8] {
        [UInt8(bytes.count >> 8), UInt8(bytes.count & 0xFF)] + bytes
    }

    /// Fixed header with the variable-length "remaining length".
    private func packet(_ type: UInt8, _ body: [UInt8]) -> [UInt8] {
        var header = [type]
        var length = body.count
        repeat {
            var byte = UInt8(length % 128)
            length /= 128
            if length > 0 { byte |= 0x80 }
            header.append(byte)
        } while length > 0
        return header + body
    }

    private func transmit(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if written <= 0 {
                if errno == EPIPE || errno == ECONNRESET { throw ConnectionClosed() }
                throw HarnessError("send: errno \(errno)")
            }
            offset += written
        }
    }

    private func receive(count: Int) throws -> [UInt8] {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: count)
        while result.count < count {
            let received = recv(descriptor, &buffer, count - result.count, 0)
            if received == 0 || (received < 0 && errno == ECONNRESET) { throw ConnectionClosed() }
            if received < 0 { throw HarnessError("recv: errno \(errno) (timeout?)") }
            result += buffer[0..<received]
        }
        return result
    }
}
