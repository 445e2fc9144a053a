package import EnvMonCore
package import EnvMonStore

/// The store's totals and the daemon's latest snapshot as named figures: what `envmon stats`
/// prints and `/api/v1/stats` returns.
package enum StoreFigures {
    package enum Value: Sendable {
        case integer(Int64)
        case number(Double)
        case time(Timestamp)

        package var json: JSONField {
            switch self {
            case .integer(let value): .integer(value)
            case .number(let value): .number(value)
            case .time(let value): .time(value)
            }
        }
    }

    package struct Figure: Sendable {
        package var name: String
        package var value: Value
    }

    package static func figures(_ statistics: StoreStatistics, delivery: [SensorDelivery]) -> [Figure] {
        var figures: [Figure] = []
        func add(_ name: String, _ value: Int64) { figures.append(Figure(name: name, value: .integer(value))) }
        add("readings_stored", statistics.counters["readings_stored"] ?? 0)
        add("duplicates", statistics.counters["duplicates"] ?? 0)
        // Per-sensor detail in `envmon sensors`; here the network's totals.
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
            figures.append(Figure(name: "oldest_day", value: .time(oldest)))
        }
        for (name, value) in statistics.daemon.sorted(by: { $0.key < $1.key }) {
            figures.append(Figure(name: "daemon.\(name)", value: .number(value)))
        }
        if let updated = statistics.daemonUpdatedAt {
            figures.append(Figure(name: "daemon.updated_at", value: .time(updated)))
        }
        return figures
    }

    package static func json(_ figure: Figure) -> [String: JSONField] {
        ["name": .string(figure.name), "value": figure.value.json]
    }
}
