import Foundation

/// A real HTTP server for fixed files (python3's `http.server`) on a free loopback port: pages for
/// browser tests of the test support itself. Query strings are ignored, as by any static server.
///
///     let server = try await StaticFileServer(files: ["index.html": "<p>hello</p>"])
///     try await browser.navigate(to: server.url("/index.html"))
package final class StaticFileServer: Sendable {
    package let directory: TemporaryDirectory
    package let port: Int
    private let child: ChildProcess

    /// The folder served as "/"; `files` (relative path: contents, written as UTF-8) are put there first.
    package var root: String { directory.file("www") }

    package init(files: [String: String], startTimeout: Duration = .seconds(10)) async throws {
        let directory = try TemporaryDirectory(prefix: "envmon-static")
        self.directory = directory
        let root = directory.file("www")
        for (name, contents) in files {
            let file = root + "/" + name
            try FileManager.default.createDirectory(
                atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try contents.write(toFile: file, atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let (child, port) = try await launchOnFreeLoopbackPort(
            "python3 http.server", timeout: startTimeout,
            launch: { port in
                // -u: unbuffered, so its "Serving HTTP on ..." line reaches the file at once.
                try ChildProcess(
                    "/usr/bin/python3",
                    ["-u", "-m", "http.server", "--bind", "127.0.0.1", "--directory", root, "\(port)"],
                    outputDirectory: directory.path)
            },
            ready: { $0.stdoutSoFar.contains("Serving HTTP") })
        self.child = child
        self.port = port
    }

    /// `http://127.0.0.1:PORT<path>`.
    package func url(_ path: String = "/") -> String { "http://127.0.0.1:\(port)\(path)" }

    package var pid: Int32 { child.pid }

    package func stop() { stopServer(child) }

    deinit { stopServer(child) }
}
