internal import PostgresNIO

/// What the copier does on the PostgreSQL side besides the rows: decide whether the target may be
/// written, make the day partitions, and count what arrived.
extension StoreCopier {
    /// Every table the copy writes (`partitions` aside: a day partition made ahead holds nothing).
    static var copiedTables: [String] {
        ["series", "readings", "rollup_1m"] + StoreCopyTable.plain.map(\.name) + ["counters"]
    }

    /// True when the target holds an interrupted copy of this source (to be resumed), false when
    /// it holds nothing; refuses anything else before a row is written.
    func admit(_ session: PostgresSession, fingerprint: Int64) throws -> Bool {
        let probe = Self.copiedTables.filter { $0 != "counters" }.map { table in
            "SELECT '\(table)' WHERE EXISTS (SELECT 1 FROM \(StoreCopyTable.quoted(table)))"
        }
        let occupied = Set(try session.query(probe.joined(separator: " UNION ALL ")).map { try $0.decode(String.self) })
        var counters: [String: Int64] = [:]
        for row in try session.query("SELECT name, value FROM counters") {
            let (name, value) = try row.decode((String, Int64).self)
            counters[name] = value
        }
        let marker = counters.removeValue(forKey: Self.markerCounter)
        if counters.isEmpty && (occupied.isEmpty || marker == fingerprint) { return !occupied.isEmpty }
        if counters.isEmpty && marker != nil {
            throw StoreCopyError(
                .targetNotEmpty,
                "\(target): holds an interrupted copy of another SQLite store (or of \(sourceDescription) before it "
                    + "changed: its series or its oldest reading differ); nothing written. Copy into a new database, "
                    + "or drop this one and create it again")
        }
        let tables = Self.copiedTables.filter { occupied.contains($0) || ($0 == "counters" && !counters.isEmpty) }
        let named =
            tables.count > 4
            ? tables.prefix(3).joined(separator: ", ") + " and \(tables.count - 3) more"
            : tables.joined(separator: ", ")
        throw StoreCopyError(
            .targetNotEmpty,
            "\(target): already holds an EnvMon store (rows in \(named)); nothing written. "
                + "envmon migrate copies into an empty database only (or resumes its own interrupted copy of the "
                + "same source): name a new database (createdb -O \(target.user) NAME), or drop this one and create "
                + "it again if what it holds is not needed")
    }

    /// The source's day partitions, made as the PostgreSQL writer makes them (same names and
    /// bounds, listed in `partitions`, under the writer's lock) so envmond finds them its own.
    func createPartitions(_ partitions: [SourcePartition], in session: PostgresSession) throws {
        let existing = Set(try session.query("SELECT name FROM partitions").map { try $0.decode(String.self) })
        for partition in partitions where !existing.contains(partition.name) {
            let parent = partition.kind == .raw ? "readings" : "rollup_1m"
            try session.transaction { connection in
                try connection.execute("SELECT pg_advisory_xact_lock(\(PostgresMigrations.lockKey + 1))")
                try connection.execute(
                    """
                    CREATE TABLE IF NOT EXISTS \(partition.name) PARTITION OF \(parent)
                    FOR VALUES FROM (\(partition.start)) TO (\(partition.end))
                    """)
                var binds = PostgresBindings()
                binds.append(partition.name)
                binds.append(partition.kind.rawValue)
                binds.append(partition.start)
                binds.append(partition.end)
                try connection.execute(
                    "INSERT INTO partitions (name, kind, start_ms, end_ms) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                    binds)
            }
        }
    }

    /// Compares the rows each table holds in the target with the source's (readings and minute
    /// roll-ups day by day, where the target's day partitions are counted one by one); throws
    /// naming every table that differs.
    func verify(_ counts: [TableCount], partitions: [String: Int], in session: PostgresSession) throws {
        var differences: [String] = []
        func compare(_ table: String, source: Int, target: Int) {
            guard source != target else { return }
            differences.append("\(table) has \(source) rows in the source but \(target) in the target")
        }
        for count in counts {
            switch count.table {
            case "readings", "rollup_1m":
                let kind = count.table == "readings" ? Partitioning.Kind.raw : .rollupMinute
                var found: [String: Int] = [:]
                for row in try session.query(
                    "SELECT tableoid::regclass::text, count(*) FROM \(count.table) GROUP BY 1")
                {
                    let (name, rows) = try row.decode((String, Int64).self)
                    found[name] = Int(rows)
                }
                for (name, rows) in partitions where name.hasPrefix(kind.rawValue + "_") {
                    compare("\(count.table) (\(name))", source: rows, target: found.removeValue(forKey: name) ?? 0)
                }
                for (name, rows) in found.sorted(by: { $0.key < $1.key }) {
                    compare("\(count.table) (\(name))", source: 0, target: rows)
                }
            default:
                let found =
                    try session.query("SELECT count(*) FROM \(StoreCopyTable.quoted(count.table))").first?.decode(
                        Int64.self) ?? 0
                compare(count.table, source: count.rows, target: Int(found))
            }
        }
        guard differences.isEmpty else {
            throw StoreCopyError(
                .mismatch,
                "\(target): the copy does not match \(sourceDescription): \(differences.sorted().joined(separator: "; ")). "
                    + "The target keeps what was copied. Rows the source lost after an interrupted run (retention), "
                    + "or another writer into the target, would explain it: copy into an empty database")
        }
    }
}
