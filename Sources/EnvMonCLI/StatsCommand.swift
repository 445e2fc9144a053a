public import ArgumentParser
internal import EnvMonConfig
internal import EnvMonCore
internal import EnvMonJSON
internal import EnvMonStore

/// `envmon stats`: totals from the store and the daemon's latest snapshot.
public struct StatsCommand: OutputCommand {
    public static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Show ingest totals, rejects by reason and the daemon's live figures.")

    @OptionGroup public var options: GlobalOptions

    public init() {}

    public func execute(into output: inout String) throws {
        let queries = try options.queries()
        let figures = StoreFigures.figures(try queries.statistics(), delivery: try queries.sensorDelivery())
        func shown(_ value: StoreFigures.Value) -> String {
            switch value {
            case .integer(let value): String(value)
            case .number(let value): Display.value(value)
            case .time(let value): Display.time(value)
            }
        }
        output += OutputTable(
            columns: ["FIGURE", "VALUE"], rows: figures.map { [$0.name, shown($0.value)] },
            objects: figures.map(StoreFigures.json)
        ).render(options.format)
    }
}

/// `envmon check-config FILE`: validates a config file without touching anything.
public struct CheckConfigCommand: OutputCommand {
    public static let configuration = CommandConfiguration(
        commandName: "check-config", abstract: "Validate a config file; every problem is named by key and line.")

    @Argument(help: "The config file to check.") public var file: String
    @Option(help: "Output format: table, json or csv.") public var format: OutputFormat = .table

    public init() {}

    public func execute(into output: inout String) throws {
        do {
            let configuration = try EnvMonConfiguration.load(path: file)
            let summary: [(String, String)] = [
                ("file", file), ("sites", "\(configuration.sites.count)"),
                ("sensors", "\(configuration.sensors.count)"),
                ("subscriptions", "\(configuration.subscriptions.count)"), ("broker", configuration.broker.url),
                ("database", configuration.daemon.database),
            ]
            output += OutputTable(
                columns: ["CHECK", "RESULT"], rows: [["status", "ok"]] + summary.map { [$0.0, $0.1] },
                objects: [["status": .string("ok")]] + summary.map { ["name": .string($0.0), "value": .string($0.1)] }
            ).render(format)
        } catch {
            let issues = error.issues
            if format == .json {
                output += OutputTable(
                    columns: [], rows: [],
                    objects: issues.map {
                        [
                            "key": .string($0.path), "message": .string($0.message),
                            "line": $0.line.map { .integer(Int64($0)) } ?? .null,
                        ]
                    }
                ).render(.json)
            }
            throw CLIError("\(file): \(issues.count) problem\(issues.count == 1 ? "" : "s"):\n\(error)")
        }
    }
}
