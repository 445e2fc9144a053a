internal import Foundation
internal import GRDB
internal import SystemSupport

/// The storage ceiling the benchmarks divide by (`envmon-sim raw-sqlite`): batched inserts into a
/// fresh SQLite file's table with the schema of one raw partition (time-first key, WITHOUT ROWID),
/// one transaction per batch, WAL and synchronous=NORMAL as the daemon's writer has. No roll-ups,
/// latest values or counters: what SQLite alone can take. Here, beside the schema it copies, so
/// the simulator needs no SQL of its own.
package struct RawInsertReference {
    package var path: String
    package var rows: Int
    package var batch: Int
    package var series: Int

    package init(path: String, rows: Int, batch: Int = 2000, series: Int = 1000) {
        self.path = path
        self.rows = rows
        self.batch = max(1, batch)
        self.series = max(1, series)
    }

    package func run() throws -> (rows: Int, seconds: Double) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA cache_size = -32768")
        }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE raw_bench (
                        ts INTEGER NOT NULL, series INTEGER NOT NULL, value REAL NOT NULL,
                        quality INTEGER NOT NULL, flagged_by INTEGER NOT NULL,
                        PRIMARY KEY (ts, series)) WITHOUT ROWID
                    """)
        }
        let base = WallClock.nowMilliseconds() - Int64(rows / series + 1) * 1000
        let start = Int64(MonotonicClock.nanoseconds())
        var written = 0
        while written < rows {
            let end = min(rows, written + batch)
            try queue.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    let insert = try db.cachedStatement(
                        sql:
                            "INSERT OR IGNORE INTO raw_bench (ts, series, value, quality, flagged_by) VALUES (?, ?, ?, ?, ?)"
                    )
                    for row in written..<end {
                        let ts = base + Int64(row / series) * 1000
                        try insert.execute(arguments: [ts, row % series + 1, 20 + Double(row % 1000) / 100, 1, 0])
                    }
                    return .commit
                }
            }
            written = end
        }
        return (rows, Double(Int64(MonotonicClock.nanoseconds()) - start) / 1e9)
    }
}
