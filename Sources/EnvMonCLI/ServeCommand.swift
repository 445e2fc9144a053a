package import ArgumentParser
internal import Dispatch
internal import EnvMonConfig
internal import EnvMonCore
internal import EnvMonStore
internal import EnvMonWeb
internal import Hummingbird
internal import Logging
internal import Synchronization

/// `envmon serve`: the web console and JSON API, a process of its own that opens the store
/// read-only (so ingest never waits on a page). Runs until SIGTERM or SIGINT.
package struct ServeCommand: ParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the web console (map, live values, charts, alerts, VN_AQI) and the JSON API /api/v1.")

    @OptionGroup package var store: StoreOptions
    @OptionGroup package var formatting: FormatOptions
    @Option(help: "host:port to listen on (default: [web] listen, else 127.0.0.1:8080).") package var listen: String?
    @Option(help: "Staff accounts file (default: [web] users_file).") package var usersFile: String?

    package init() {}

    package func validate() throws {
        if let listen, WebSettings.parseListen(listen) == nil {
            throw ValidationError("--listen \"\(listen)\" must be host:port, e.g. 127.0.0.1:8080")
        }
    }

    package func run() throws {
        guard var configuration = try store.loadConfiguration(required: true) else { return }
        if let listen { configuration.web.listen = listen }
        if let usersFile { configuration.web.usersFile = usersFile }
        let location = try store.location()
        let store: ConsoleStore
        do {
            store = try ConsoleStore(location: location)
        } catch let error as StoreError {
            throw CLIError("cannot serve: \(error)")
        }
        guard let (host, port) = WebSettings.parseListen(configuration.web.listen) else {
            throw CLIError("[web] listen \"\(configuration.web.listen)\" must be host:port")
        }
        let logger = {
            var logger = Logger(label: "envmon.web")
            logger.logLevel = .info
            return logger
        }()
        let console = WebConsole(configuration: configuration, store: store, logger: logger)
        let outcome = Mutex<(any Error)?>(nil)
        let finished = DispatchSemaphore(value: 0)
        // The CLI's entry point is synchronous; the server runs on the concurrency runtime
        // while this thread waits for it to end.
        Task {
            do {
                let application = console.application(host: host, port: port) { bound in
                    logger.notice(
                        "envmon serve: listening on http://\(host):\(bound) (database \(location), read-only)")
                }
                try await application.runService()
            } catch {
                outcome.withLock { $0 = error }
            }
            finished.signal()
        }
        finished.wait()
        if let error = outcome.withLock({ $0 }) { throw CLIError("envmon serve stopped: \(error)") }
    }
}
