public import ArgumentParser

/// `envmon`: the staff CLI of the Cát Hải monitoring network.
public struct EnvMonCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "envmon",
        abstract: "Query the EnvMon store: sensors, latest values, time series, exports, rejects, statistics.",
        discussion: """
            Times are shown in Vietnam time (UTC+7) in tables; JSON uses RFC 3339 UTC.
            Exit codes: 0 ok, 1 nothing found, 2 bad usage or input.
            """,
        subcommands: [
            SensorsCommand.self, LatestCommand.self, QueryCommand.self, ExportCommand.self, RejectsCommand.self,
            StatsCommand.self, CheckConfigCommand.self, AlertsCommand.self, ReportCommand.self,
        ])

    public init() {}
}
