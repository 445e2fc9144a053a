internal import EnvMonCore
internal import PostgresNIO

extension PostgresReadingWriter {
    /// As the SQLite store's: whole day partitions past the cut-off are dropped (a partition is a
    /// table: `DROP` frees its space at once, no vacuum), the hourly and daily tables, the hourly
    /// VN_AQI and old rejects trimmed. With several collectors one pass is enough: whoever holds
    /// the retention lock does it, the others skip this round.
    func applyRetention(_ policy: RetentionPolicy, now: Timestamp) throws -> RetentionOutcome {
        var outcome = RetentionOutcome(
            droppedPartitions: [], deletedRollupRows: 0, deletedAQIRows: 0, deletedRejects: 0)
        let day = Partitioning.dayMilliseconds
        try session.transaction { connection in
            let held =
                try connection.query("SELECT pg_try_advisory_xact_lock(\(PostgresMigrations.lockKey + 2))")
                .first?.decode(Bool.self) ?? false
            guard held else { return }
            for (kind, days) in [(Partitioning.Kind.raw, policy.rawDays), (.rollupMinute, policy.minuteDays)] {
                guard let days else { continue }
                var binds = PostgresBindings()
                binds.append(kind.rawValue)
                binds.append(now.milliseconds - Int64(days) * day)
                let names = try connection.query(
                    "SELECT name FROM partitions WHERE kind = $1 AND end_ms <= $2 ORDER BY start_ms", binds
                ).map { try $0.decode(String.self) }
                // The names come from our own catalogue, but a DROP is final: only a name of the
                // partition shape may ever reach it.
                for name in names where Partitioning.isPartition(name) {
                    try connection.execute("DROP TABLE IF EXISTS \(name)")
                    var binds = PostgresBindings()
                    binds.append(name)
                    try connection.execute("DELETE FROM partitions WHERE name = $1", binds)
                    outcome.droppedPartitions.append(name)
                }
            }
            func deleted(_ sql: String, before cutoff: Int64) throws -> Int {
                var binds = PostgresBindings()
                binds.append(cutoff)
                return Int(
                    try connection.query("WITH gone AS (\(sql) RETURNING 1) SELECT count(*) FROM gone", binds)
                        .first?.decode(Int64.self) ?? 0)
            }
            for (table, days) in [("rollup_1h", policy.hourDays), ("rollup_1d", policy.dayDays)] {
                guard let days else { continue }
                outcome.deletedRollupRows += try deleted(
                    "DELETE FROM \(table) WHERE bucket < $1", before: now.milliseconds - Int64(days) * day)
            }
            if let days = policy.hourDays {
                // Computed from the hourly roll-ups, so kept exactly as long as they are.
                outcome.deletedAQIRows = try deleted(
                    "DELETE FROM aqi_hourly WHERE hour < $1", before: now.milliseconds - Int64(days) * day)
            }
            if let days = policy.rejectDays {
                outcome.deletedRejects = try deleted(
                    "DELETE FROM rejects WHERE received_at < $1", before: now.milliseconds - Int64(days) * day)
            }
        }
        forgetPartitions(outcome.droppedPartitions)
        return outcome
    }
}
