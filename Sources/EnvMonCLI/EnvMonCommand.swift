package import ArgumentParser
internal import SystemSupport

#if canImport(Glibc)
    internal import Glibc
#endif

/// `envmon`: the staff CLI of the Cát Hải monitoring network.
package struct EnvMonCommand: ParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "envmon",
        abstract: "Query the EnvMon store: sensors, latest values, time series, exports, rejects, statistics.",
        discussion: """
            Times are shown in Vietnam time (UTC+7) in tables; JSON uses RFC 3339 UTC.
            Exit codes: 0 ok, 1 nothing found, 2 bad usage or input.
            """,
        subcommands: [
            SensorsCommand.self, LatestCommand.self, QueryCommand.self, ExportCommand.self, RejectsCommand.self,
            StatsCommand.self, CheckConfigCommand.self, AlertsCommand.self, ReportCommand.self, BackupCommand.self,
            CheckCommand.self, MaintenanceCommand.self, TransmitCommand.self, ServeCommand.self, UsersCommand.self,
            MigrateCommand.self,
        ])

    package init() {}

    /// The exit status `envmon` reports for an error that ends a run: swift-argument-parser's
    /// own except that its parse and validation errors, 64 (EX_USAGE), become the 2 that the help
    /// text and README document for bad usage, so scripts see one code for every bad argument.
    package static func exitStatus(for error: any Error) -> Int32 {
        let code = exitCode(for: error)
        return code == .validationFailure ? 2 : code.rawValue
    }

    /// Parses and runs a command, then exits. Shadows `ParsableCommand.main()` so that both
    /// `EnvMonCommand.main()` and an `@main` entry point get `exitStatus(for:)`'s mapping.
    package static func main() {
        main(nil)
    }

    /// `main()` with explicit arguments (nil: the process's own).
    package static func main(_ arguments: [String]?) {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            let status = exitStatus(for: error)
            // Help and other clean exits (status 0) keep the parser's own printing, to stdout.
            guard status != 0 else { exit(withError: error) }
            let message = fullMessage(for: error)
            if !message.isEmpty { StandardStreams.write(message.hasSuffix("\n") ? message : message + "\n", to: 2) }
            Glibc.exit(status)
        }
    }
}
