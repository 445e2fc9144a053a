public import ArgumentParser
internal import EnvMonConfig
internal import EnvMonCore
internal import EnvMonStore

/// `envmon stats`: totals from the store and the daemon's latest snapshot.
public struct StatsCommand: OutputCommand {
    public static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Show ingest totals, rejects by reason and the daemon's live figures.")

    @OptionGroup public var options: GlobalOptions

    public init() {}

    public func execute(into output: inout String) throws {
        let statistics = try options.queries().statistics()
        var rows: [(String, String, JSONField)] = []
        func add(_ name: String, _ value: Int64) { rows.append((name, String(value), .integer(value))) }
        add("readings_stored", statistics.counters["readings_stored"] ?? 0)
        add("duplicates", statistics.counters["duplicates"] ?? 0)
        // Per-sensor detail in `envmon sensors`; here the network's totals.
        let delivery = try options.queries().sensorDelivery()
        add("seq_missing", delivery.reduce(0) { $0 + $1.missing })
        add("seq_duplicates", delivery.reduce(0) { $0 + $1.duplicates })
        add("seq_restarts", delivery.reduce(0) { $0 + $1.restarts })
        add("sensors_with_seq_gaps", Int64(delivery.filter { $0.missing > 0 }.count))
        add("catch_up_readings", delivery.reduce(0) { $0 + $1.catchUpReadings })
        add("rejects", statistics.counters["rejects"] ?? 0)
        for (reason, count) in statistics.rejectsByReason.sorted(by: { $0.key < $1.key }) {
            add("rejects.\(reason)", count)
        }
        add("batches", statistics.counters["batches"] ?? 0)
        add("series", Int64(statistics.series))
        add("sensors", Int64(statistics.sensors))
        add("raw_partitions", Int64(statistics.rawPartitions))
        add("database_bytes", statistics.databaseBytes)
        if let oldest = statistics.oldestPartition {
            rows.append(("oldest_day", Display.time(oldest), .time(oldest)))
        }
        for (name, value) in statistics.daemon.sorted(by: { $0.key < $1.key }) {
            rows.append(("daemon.\(name)", Display.value(value), .number(value)))
        }
        if let updated = statistics.daemonUpdatedAt {
            rows.append(("daemon.updated_at", Display.time(updated), .time(updated)))
        }
        output += OutputTable(
            columns: ["FIGURE", "VALUE"], rows: rows.map { [$0.0, $0.1] },
            objects: rows.map { ["name": .string($0.0), "value": $0.2] }
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
