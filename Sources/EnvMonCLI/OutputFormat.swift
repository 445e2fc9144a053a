public import ArgumentParser
internal import EnvMonCore
internal import Foundation

/// `--format table|json|csv` on every command.
public enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table
    case json
    case csv
}

/// Rows to show: a header with units for tables and CSV, and snake_case objects for JSON.
struct OutputTable {
    var columns: [String]
    var rows: [[String]]
    /// The JSON form of each row (snake_case keys, RFC 3339 UTC times, numbers as numbers).
    var objects: [[String: JSONField]]

    func render(_ format: OutputFormat) -> String {
        switch format {
        case .table: renderTable()
        case .csv: renderCSV()
        case .json: renderJSON()
        }
    }

    private func renderTable() -> String {
        var widths = columns.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }
        return ([line(columns)] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    private func renderCSV() -> String {
        func escape(_ cell: String) -> String {
            cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
                ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
        }
        return ([columns] + rows).map { $0.map(escape).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    private func renderJSON() -> String {
        "[" + objects.map { JSONField.object($0).encoded }.joined(separator: ",\n ") + "]\n"
    }
}

/// A JSON value written by hand so key order is stable and numbers keep their precision.
indirect enum JSONField {
    case string(String)
    case number(Double)
    case integer(Int64)
    case bool(Bool)
    case null
    case array([JSONField])
    case object([String: JSONField])

    static func optional(_ text: String?) -> JSONField { text.map { .string($0) } ?? .null }
    static func time(_ time: Timestamp?) -> JSONField { time.map { .string(RFC3339.format($0)) } ?? .null }

    var encoded: String {
        switch self {
        case .string(let text): return Self.quote(text)
        case .number(let value): return value.isFinite ? Self.number(value) : "null"
        case .integer(let value): return String(value)
        case .bool(let value): return value ? "true" : "false"
        case .null: return "null"
        case .array(let items): return "[" + items.map(\.encoded).joined(separator: ",") + "]"
        case .object(let fields):
            return "{" + fields.keys.sorted().map { "\(Self.quote($0)):\(fields[$0]!.encoded)" }.joined(separator: ",")
                + "}"
        }
    }

    static func number(_ value: Double) -> String { JSONText.number(value) }

    static func quote(_ text: String) -> String { JSONText.quote(text) }
}

/// How times and values look in tables: Vietnam time (UTC+7), values without noise digits.
enum Display {
    static func time(_ time: Timestamp, utc: Bool = false) -> String {
        if utc { return RFC3339.format(time) }
        let text = RFC3339.format(time, offsetSeconds: RFC3339.vietnamOffsetSeconds)
        // 2026-11-29T10:00:00+07:00 → 2026-11-29 10:00:00 (+07 is in the column header).
        return String(text.replacingOccurrences(of: "T", with: " ").prefix(19))
    }

    static func value(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e12 { return String(Int64(value)) }
        var text = String(format: "%.4f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
