internal import GRDB
internal import PostgresNIO

/// Rows of one table read from SQLite and waiting to go to PostgreSQL, kept column by column: the
/// form `StoreCopyTable.insertStatement` binds them in (one array per column).
///
/// SQLite's values are converted strictly: a value that does not fit its PostgreSQL column (text
/// where a number belongs, a number out of an `int2`'s range) stops the copy with the table,
/// the row's key and the column named, rather than being stored changed.
struct StoreCopyBatch {
    let table: StoreCopyTable
    // One array per column in the store of its type (the others stay empty for that column):
    // appended to in place, where an enum of arrays would copy a column at every row.
    private var int8s: [[Int64]]
    private var int4s: [[Int32]]
    private var int2s: [[Int16]]
    private var float8s: [[Double]]
    private var texts: [[String]]
    private var byteas: [[ByteBuffer]]
    private var bools: [[Bool]]
    private var nulls: [[Bool]]
    private(set) var count = 0
    /// Roughly what the batch holds, so a table of large payloads (outbox files, rejects) is sent
    /// in smaller batches than one of readings.
    private(set) var bytes = 0

    init(_ table: StoreCopyTable) {
        self.table = table
        let empty = table.columns.count
        int8s = Array(repeating: [], count: empty)
        int4s = Array(repeating: [], count: empty)
        int2s = Array(repeating: [], count: empty)
        float8s = Array(repeating: [], count: empty)
        texts = Array(repeating: [], count: empty)
        byteas = Array(repeating: [], count: empty)
        bools = Array(repeating: [], count: empty)
        nulls = Array(repeating: [], count: empty)
    }

    /// Adds one row read by `table.selectStatement` (its columns in the table's order).
    /// `source` names the SQLite table for messages.
    mutating func append(_ row: Row, source: String) throws {
        for (index, column) in table.columns.enumerated() {
            let value: DatabaseValue = row[index]
            if value.isNull {
                guard column.nullable else { throw mistake(row, source: source, column: column, "is NULL") }
                nulls[index].append(true)
                appendPlaceholder(at: index)
                continue
            }
            if column.nullable { nulls[index].append(false) }
            try append(value, to: index, row: row, source: source)
        }
        count += 1
    }

    private mutating func append(_ value: DatabaseValue, to index: Int, row: Row, source: String) throws {
        let column = table.columns[index]
        switch column.type {
        case .int8:
            guard let number = Self.integer(value) else {
                throw mistake(row, source: source, column: column, "is not an integer (\(value))")
            }
            int8s[index].append(number)
            bytes += 8
        case .int4:
            guard let number = Self.integer(value).flatMap(Int32.init(exactly:)) else {
                throw mistake(row, source: source, column: column, "is not a 32-bit integer (\(value))")
            }
            int4s[index].append(number)
            bytes += 4
        case .int2:
            guard let number = Self.integer(value).flatMap(Int16.init(exactly:)) else {
                throw mistake(row, source: source, column: column, "is not a 16-bit integer (\(value))")
            }
            int2s[index].append(number)
            bytes += 2
        case .float8:
            switch value.storage {
            case .double(let double): float8s[index].append(double)
            case .int64(let integer): float8s[index].append(Double(integer))
            default: throw mistake(row, source: source, column: column, "is not a number (\(value))")
            }
            bytes += 8
        case .text:
            guard case .string(let string) = value.storage else {
                throw mistake(row, source: source, column: column, "is not text (\(value))")
            }
            texts[index].append(string)
            bytes += string.utf8.count
        case .bytea:
            // SQLite hands text stored in a BLOB column over as its bytes; so does the copy.
            let buffer: ByteBuffer
            switch value.storage {
            case .blob(let data): buffer = ByteBuffer(bytes: data)
            case .string(let string): buffer = ByteBuffer(string: string)
            default: throw mistake(row, source: source, column: column, "is not bytes (\(value))")
            }
            bytes += buffer.readableBytes
            byteas[index].append(buffer)
        case .bool:
            guard let number = Self.integer(value), number == 0 || number == 1 else {
                throw mistake(row, source: source, column: column, "is not 0 or 1 (\(value))")
            }
            bools[index].append(number == 1)
            bytes += 1
        }
    }

    /// What stands in a NULL's place in its column's array (the mask says it is NULL).
    private mutating func appendPlaceholder(at index: Int) {
        switch table.columns[index].type {
        case .int8: int8s[index].append(0)
        case .int4: int4s[index].append(0)
        case .int2: int2s[index].append(0)
        case .float8: float8s[index].append(0)
        case .text: texts[index].append("")
        case .bytea: byteas[index].append(ByteBuffer())
        case .bool: bools[index].append(false)
        }
    }

    /// An integer as SQLite may hold it: INTEGER, or a REAL with no fraction.
    private static func integer(_ value: DatabaseValue) -> Int64? {
        switch value.storage {
        case .int64(let integer): integer
        case .double(let double): Int64(exactly: double)
        default: nil
        }
    }

    private func mistake(_ row: Row, source: String, column: StoreCopyTable.Column, _ problem: String) -> StoreError {
        let key = table.key.compactMap { name in
            table.columns.firstIndex { $0.name == name }.map { "\(name) \((row[$0] as DatabaseValue).description)" }
        }
        return StoreError(
            .notAnEnvMonDatabase,
            "table \(source), row \(key.joined(separator: ", ")): \(column.name) \(problem); nothing of it was copied")
    }

    /// The batch's arrays (and NULL masks) in the order `insertStatement` numbers them.
    var bindings: PostgresBindings {
        var binds = PostgresBindings()
        for (index, column) in table.columns.enumerated() {
            switch column.type {
            case .int8: binds.append(int8s[index])
            case .int4: binds.append(int4s[index])
            case .int2: binds.append(int2s[index])
            case .float8: binds.append(float8s[index])
            case .text: binds.append(texts[index])
            case .bytea: binds.append(byteas[index])
            case .bool: binds.append(bools[index])
            }
            if column.nullable { binds.append(nulls[index]) }
        }
        return binds
    }
}
