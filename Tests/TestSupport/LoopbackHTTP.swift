import Foundation

/// An HTTP answer: the status code and the body.
struct HTTPAnswer: Sendable {
    var status: Int
    var body: [UInt8]
}

/// One HTTP/1.1 request to 127.0.0.1:`port` on a connection of its own, closed after the answer.
///
/// Not URLSession: FoundationNetworking on Linux fails every exchange with chromedriver ("Failed
/// writing header"), whose header lines have no space after the colon ("Content-Length:252").
/// The exchange runs on a thread of its own: it blocks until the answer comes (a page load takes
/// seconds), and must not tie up Swift's cooperative pool (2 threads on a 2-core box).
func loopbackHTTPRequest(
    port: Int, method: String, path: String, body: [UInt8]? = nil,
    contentType: String = "application/json; charset=utf-8", timeout: Duration
) async throws -> HTTPAnswer {
    var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
    if let body {
        head += "Content-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n"
    }
    let request = Array((head + "\r\n").utf8) + (body ?? [])
    return try await withCheckedThrowingContinuation { continuation in
        Thread {
            continuation.resume(with: Result { try exchange(request, port: port, timeout: timeout) })
        }.start()
    }
}

private func exchange(_ request: [UInt8], port: Int, timeout: Duration) throws -> HTTPAnswer {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw systemError("socket()") }
    defer { close(fd) }
    var address = loopbackAddress(port: port)
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard connected == 0 else { throw systemError("connect(127.0.0.1:\(port))") }

    var sent = 0
    while sent < request.count {
        // MSG_NOSIGNAL: a server that closed early must give an error here, not SIGPIPE the test run.
        let count = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if count < 0 {
            if errno == EINTR { continue }
            throw systemError("send to 127.0.0.1:\(port)")
        }
        sent += count
    }

    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
        if let answer = try parseAnswer(received, complete: false) { return answer }
        let remaining = deadline - clock.now
        guard remaining > .zero else {
            throw TestSupportError("no complete HTTP answer from 127.0.0.1:\(port) within \(timeout)")
        }
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(min(remaining / .milliseconds(1), 60_000)) + 1
        let ready = poll(&descriptor, 1, milliseconds)
        if ready < 0 && errno != EINTR { throw systemError("poll") }
        guard ready > 0 else { continue }
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count < 0 {
            if errno == EINTR { continue }
            throw systemError("recv from 127.0.0.1:\(port)")
        }
        if count == 0 {
            guard let answer = try parseAnswer(received, complete: true) else {
                throw TestSupportError("127.0.0.1:\(port) closed the connection before a complete HTTP answer")
            }
            return answer
        }
        received += buffer[..<count]
    }
}

/// The answer in `bytes` once it is all there (headers, then Content-Length bytes of body, or
/// everything up to the end of the connection when `complete` and there is no length); else nil.
private func parseAnswer(_ bytes: [UInt8], complete: Bool) throws -> HTTPAnswer? {
    let separator: [UInt8] = Array("\r\n\r\n".utf8)
    guard let headEnd = bytes.firstRange(of: separator) else {
        if complete { throw TestSupportError("truncated HTTP answer: \(String(decoding: bytes, as: UTF8.self))") }
        return nil
    }
    let head = String(decoding: bytes[..<headEnd.lowerBound], as: UTF8.self)
    var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
    let statusLine = lines.isEmpty ? "" : lines.removeFirst()
    let statusFields = statusLine.split(separator: " ")
    guard statusFields.count >= 2, statusFields[0].hasPrefix("HTTP/"), let status = Int(statusFields[1]) else {
        throw TestSupportError("not an HTTP status line: \(statusLine)")
    }
    var headers: [String: String] = [:]
    for line in lines {
        // No space is required after the colon: chromedriver writes none.
        guard let colon = line.firstIndex(of: ":") else { continue }
        let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
        throw TestSupportError("chunked HTTP answers are not supported (\(statusLine))")
    }
    let body = bytes[headEnd.upperBound...]
    if let length = headers["content-length"].flatMap({ Int($0) }) {
        return body.count >= length ? HTTPAnswer(status: status, body: Array(body.prefix(length))) : nil
    }
    return complete ? HTTPAnswer(status: status, body: Array(body)) : nil
}

private func systemError(_ what: String) -> TestSupportError {
    TestSupportError("\(what) failed: \(String(cString: strerror(errno)))")
}
