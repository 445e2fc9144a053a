internal import ArgumentParser
internal import EnvMonCore
internal import EnvMonJSON
internal import Foundation

/// `--format table|json|csv` on every command.
package enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table
    case json
    case csv
}

/// Rows to show: a header with units for tables and CSV, and snake_case objects for JSON.
struct OutputTable {
    var columns: [String]
    /// Built only for the format asked for: a year of rows is cheap to query and dear to format.
    var rows: () -> [[String]]
    /// The JSON form of each row (snake_case keys, RFC 3339 UTC times, numbers as numbers).
    var objects: () -> [[String: JSONField]]

    init(
        columns: [String], rows: @escaping @autoclosure () -> [[String]],
        objects: @escaping @autoclosure () -> [[String: JSONField]]
    ) {
        self.columns = columns
        self.rows = rows
        self.objects = objects
    }

    func render(_ format: OutputFormat) -> String {
        switch format {
        case .table: renderTable()
        case .csv: renderCSV()
        case .json: renderJSON()
        }
    }

    private func renderTable() -> String {
        let rows = self.rows()
        // Widths in characters (Vietnamese names have multi-byte letters); cells written into
        // one byte buffer, since a year of hourly rows is 8,760 lines.
        var widths = columns.map(\.count)
        var lengths: [[Int]] = []
        lengths.reserveCapacity(rows.count)
        for row in rows {
            let rowLengths = row.map(\.count)
            for (index, length) in rowLengths.enumerated() where index < widths.count {
                widths[index] = max(widths[index], length)
            }
            lengths.append(rowLengths)
        }
        var output: [UInt8] = []
        output.reserveCapacity((rows.count + 1) * (widths.reduce(0, +) + 2 * widths.count + 1))
        func write(_ cells: [String], _ cellLengths: [Int]) {
            for (index, cell) in cells.enumerated() {
                output.append(contentsOf: cell.utf8)
                if index < cells.count - 1 {
                    let padding = (index < widths.count ? widths[index] : 0) - cellLengths[index] + 2
                    output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: max(padding, 1)))
                }
            }
            output.append(UInt8(ascii: "\n"))
        }
        write(columns, columns.map(\.count))
        for (row, rowLengths) in zip(rows, lengths) { write(row, rowLengths) }
        return String(decoding: output, as: UTF8.self)
    }

    private func renderCSV() -> String {
        func escape(_ cell: String) -> String {
            cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
                ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
        }
        return ([columns] + rows()).map { $0.map(escape).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    private func renderJSON() -> String {
        JSONField.lines(objects())
    }
}

/// How times and values look in tables: Vietnam time (UTC+7), values without noise digits.
enum Display {
    static func time(_ time: Timestamp, utc: Bool = false) -> String { DisplayText.time(time, utc: utc) }

    static func value(_ value: Double) -> String { DisplayText.value(value) }
}
