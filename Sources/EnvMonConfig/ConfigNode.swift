internal import TOMLKit

/// A parsed TOML document as plain Swift values, so the rest of the module never touches TOMLKit
/// (which wraps toml++ through non-Sendable classes). Public so other TOML files of EnvMon (the
/// report's indicators) are read with the same syntax errors and types, without a second TOML parser.
package indirect enum ConfigNode: Sendable {
    case table([(key: String, value: ConfigNode)])
    case array([ConfigNode])
    case string(String)
    case integer(Int)
    case double(Double)
    case bool(Bool)
    case other(String)

    /// Parses TOML text; syntax errors name the line and column.
    package static func parse(_ text: String, source: String) throws(ConfigError) -> ConfigNode {
        if let problem = TOMLPreflight.firstProblem(in: text) {
            throw ConfigError([
                ConfigIssue(
                    path: "", message: "\(source): TOML syntax error at line \(problem.line): \(problem.message)",
                    line: problem.line)
            ])
        }
        do {
            return ConfigNode(try TOMLTable(string: text))
        } catch let error as TOMLParseError {
            throw ConfigError([
                ConfigIssue(
                    path: "",
                    message: "\(source): TOML syntax error at line \(error.source.begin.line), column "
                        + "\(error.source.begin.column): \(error.description)", line: error.source.begin.line)
            ])
        } catch {
            throw ConfigError([ConfigIssue(path: "", message: "\(source): \(error)")])
        }
    }

    private init(_ table: TOMLTable) {
        self = .table(table.keys.sorted().compactMap { key in table[key].map { (key, ConfigNode(value: $0)) } })
    }

    private init(value: any TOMLValueConvertible) {
        switch value.type {
        case .table: self.init(value.table!)
        case .array: self = .array(value.array!.map { ConfigNode(value: $0) })
        case .string: self = .string(value.string!)
        case .int: self = .integer(value.int!)
        case .double: self = .double(value.double!)
        case .bool: self = .bool(value.bool!)
        default: self = .other("\(value)")
        }
    }

    package var typeName: String {
        switch self {
        case .table: "a table"
        case .array: "an array"
        case .string: "a string"
        case .integer: "an integer"
        case .double: "a number"
        case .bool: "a boolean"
        case .other: "a date or time"
        }
    }
}
