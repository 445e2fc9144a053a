import Foundation

/// A real HTTP server (a small python3 `http.server` script, written to its temporary directory)
/// on a free loopback port that records every request and answers 200, or the statuses queued with
/// `respond(with:times:)`, for webhook tests.
///
///     let receiver = try await WebhookReceiver()
///     receiver.respond(with: 500, times: 2)   // the next two requests fail
///     ... POST to receiver.url("/alerts") ...
///     let requests = try receiver.requests()
package final class WebhookReceiver: Sendable {
    /// One request as the receiver saw it.
    package struct Request: Sendable, Decodable {
        package var method: String
        package var path: String
        /// Header names in lower case.
        package var headers: [String: String]
        /// The status the receiver answered with.
        package var status: Int
        private var bodyBase64: String

        package var body: [UInt8] { Data(base64Encoded: bodyBase64).map { [UInt8]($0) } ?? [] }

        enum CodingKeys: String, CodingKey {
            case method, path, headers, status
            case bodyBase64 = "body_base64"
        }
    }

    package let directory: TemporaryDirectory
    package let port: Int
    private let child: ChildProcess
    private var requestsDirectory: String { directory.file("requests") }
    private var statusQueueFile: String { directory.file("status-queue") }

    package init(startTimeout: Duration = .seconds(10)) async throws {
        let directory = try TemporaryDirectory(prefix: "envmon-webhook")
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory.file("requests"), withIntermediateDirectories: true)
        let script = try directory.write("webhook_receiver.py", Self.script)
        let python =
            FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
            ? ["/usr/bin/python3"] : ["/usr/bin/env", "python3"]
        let (child, port) = try await launchOnFreeLoopbackPort(
            "webhook receiver", timeout: startTimeout,
            launch: { port in
                try ChildProcess(
                    python[0], Array(python.dropFirst()) + [script, "\(port)", directory.path],
                    outputDirectory: directory.path)
            },
            ready: { $0.stdoutSoFar.contains("listening") })
        self.child = child
        self.port = port
    }

    /// `http://127.0.0.1:PORT<path>`.
    package func url(_ path: String = "/") -> String { "http://127.0.0.1:\(port)\(path)" }

    /// The next `times` requests get `status` (with a short text body) instead of 200.
    package func respond(with status: Int, times: Int = 1) {
        let queued = (try? String(contentsOfFile: statusQueueFile, encoding: .utf8)) ?? ""
        // Atomic replace: the receiver never reads a half-written queue.
        try? (queued + String(repeating: "\(status)\n", count: times))
            .write(toFile: statusQueueFile, atomically: true, encoding: .utf8)
    }

    /// Every request so far, oldest first.
    package func requests() throws -> [Request] {
        let names = try FileManager.default.contentsOfDirectory(atPath: requestsDirectory)
            .filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { name in
            let data = try Data(contentsOf: URL(fileURLWithPath: requestsDirectory + "/" + name))
            return try JSONDecoder().decode(Request.self, from: data)
        }
    }

    package var pid: Int32 { child.pid }

    package func stop() { stopServer(child) }

    deinit { stopServer(child) }

    /// Single-threaded on purpose: requests are recorded (and the status queue consumed) one at a time.
    static let script = #"""
        import base64, json, os, sys
        from http.server import BaseHTTPRequestHandler, HTTPServer

        port, directory = int(sys.argv[1]), sys.argv[2]
        requests_dir = os.path.join(directory, "requests")
        queue_file = os.path.join(directory, "status-queue")
        count = 0

        def next_status():
            try:
                with open(queue_file) as f:
                    lines = [l for l in f.read().split("\n") if l.strip()]
            except FileNotFoundError:
                return 200
            if not lines:
                return 200
            with open(queue_file + ".tmp", "w") as f:
                f.write("".join(l + "\n" for l in lines[1:]))
            os.replace(queue_file + ".tmp", queue_file)
            return int(lines[0])

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def handle_any(self):
                global count
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                status = next_status()
                count += 1
                record = {
                    "method": self.command, "path": self.path, "status": status,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body_base64": base64.b64encode(body).decode(),
                }
                name = os.path.join(requests_dir, "%06d.json" % count)
                with open(name + ".tmp", "w") as f:
                    json.dump(record, f)
                os.replace(name + ".tmp", name)
                answer = (b"ok\n" if 200 <= status < 300
                          else b"receiver failure %d (queued by the test)\n" % status)
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            do_POST = do_PUT = do_GET = handle_any

            def log_message(self, format, *args):
                sys.stderr.write("%s\n" % (format % args))

        server = HTTPServer(("127.0.0.1", port), Handler)
        print("listening on 127.0.0.1:%d" % port, flush=True)
        server.serve_forever()
        """#
}
