internal import EnvMonCore
internal import GRDB

extension SQLiteReadingWriter {
    /// Drops whole day partitions older than the policy allows and trims the small hourly and
    /// daily tables (the hourly VN_AQI with the hourly roll-ups). A partition is dropped only when its whole day is past the cut-off.
    package func applyRetention(_ policy: RetentionPolicy, now: Timestamp) throws -> RetentionOutcome {
        try database.writeWithoutTransaction { db in
            var outcome = RetentionOutcome(
                droppedPartitions: [], deletedRollupRows: 0, deletedAQIRows: 0, deletedRejects: 0)
            try db.inTransaction(.immediate) {
                let day = Partitioning.dayMilliseconds
                for (kind, days) in [(Partitioning.Kind.raw, policy.rawDays), (.rollupMinute, policy.minuteDays)] {
                    guard let days else { continue }
                    let cutoff = now.milliseconds - Int64(days) * day
                    let names = try String.fetchAll(
                        db, sql: "SELECT name FROM partitions WHERE kind = ? AND end_ms <= ? ORDER BY start_ms",
                        arguments: [kind.rawValue, cutoff])
                    // The names come from our own `partitions` table, but a DROP is final: only
                    // a name of the partition shape may ever reach it.
                    for name in names where Partitioning.isPartition(name) {
                        try db.execute(sql: "DROP TABLE IF EXISTS \(name)")
                        try db.execute(sql: "DELETE FROM partitions WHERE name = ?", arguments: [name])
                        outcome.droppedPartitions.append(name)
                    }
                }
                for (table, days) in [("rollup_1h", policy.hourDays), ("rollup_1d", policy.dayDays)] {
                    guard let days else { continue }
                    try db.execute(
                        sql: "DELETE FROM \(table) WHERE bucket < ?",
                        arguments: [now.milliseconds - Int64(days) * day])
                    outcome.deletedRollupRows += db.changesCount
                }
                if let days = policy.hourDays {
                    // Computed from the hourly roll-ups, so kept exactly as long as they are.
                    try db.execute(
                        sql: "DELETE FROM aqi_hourly WHERE hour < ?", arguments: [now.milliseconds - Int64(days) * day])
                    outcome.deletedAQIRows = db.changesCount
                }
                if let days = policy.rejectDays {
                    try db.execute(
                        sql: "DELETE FROM rejects WHERE received_at < ?",
                        arguments: [now.milliseconds - Int64(days) * day])
                    outcome.deletedRejects = db.changesCount
                }
                return .commit
            }
            forgetPartitions(outcome.droppedPartitions)
            if outcome.deletedRejects > 0 { rejectTotals = nil }
            return outcome
        }
    }

    /// Saves the daemon's live figures so `envmon stats` can show them without talking to it.
    package func recordDaemonStatistics(_ figures: [String: Double], at time: Timestamp) throws {
        try database.write { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO daemon_stats (name, value, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                    """)
            for (name, value) in figures {
                try statement.execute(arguments: [name, value, time.milliseconds])
            }
        }
    }
}
