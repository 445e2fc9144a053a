internal import ArgumentParser
internal import EnvMonStore

/// `envmon-sim raw-sqlite`: the storage ceiling.
struct RawSQLiteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "raw-sqlite",
        abstract: "Batched inserts into a fresh table shaped like a raw partition: SQLite's own ceiling.")

    @Option(help: "Database file (replaced).")
    var db = "/tmp/envmon-raw-sqlite.db"

    @Option(help: "Rows to insert.")
    var rows = 2_000_000

    @Option(help: "Rows per transaction.")
    var batch = 2000

    @Option(help: "Distinct series.")
    var series = 1000

    @Flag(help: "Print one JSON line.")
    var json = false

    func run() throws {
        // This process's own CPU, as the daemon's is taken from /proc: the floor a stored reading
        // is compared with (one raw row, no roll-ups).
        let cpuBefore = ProcessCPU.ownSeconds()
        let result = try RawInsertReference(path: db, rows: rows, batch: batch, series: series).run()
        let cpuSeconds = ProcessCPU.ownSeconds() - cpuBefore
        let rate = Double(result.rows) / max(1e-9, result.seconds)
        let cpuPerRow = cpuSeconds / Double(max(1, result.rows)) * 1e6
        if json {
            Diagnostics.output(
                "{\"rows\":\(result.rows),\"seconds\":\(format(result.seconds, 3)),\"rate\":\(format(rate, 0)),"
                    + "\"cpuSeconds\":\(format(cpuSeconds, 3)),\"cpuMicrosecondsPerRow\":\(format(cpuPerRow, 3))}\n")
        } else {
            Diagnostics.output(
                "raw sqlite      \(result.rows) rows in \(format(result.seconds, 2)) s = \(format(rate, 0)) rows/s "
                    + "(batches of \(batch)); CPU \(format(cpuSeconds, 2)) s = \(format(cpuPerRow, 2)) µs/row\n")
        }
    }
}
