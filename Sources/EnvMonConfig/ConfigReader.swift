internal import EnvMonCore

/// Walks a parsed config, converting values to their types and collecting every problem with
/// its key path, so a file with five mistakes reports five errors in one run. Unknown keys are
/// reported too: a misspelt key silently ignored is how a wrong threshold ships.
final class ConfigReader {
    private(set) var issues: [ConfigIssue] = []
    let locator: KeyLocator

    init(locator: KeyLocator) { self.locator = locator }

    func report(_ path: String, _ message: String) {
        issues.append(ConfigIssue(path: path, message: message, line: locator.line(of: path)))
    }
}

/// One table of the config at a known path.
struct TableReader {
    let reader: ConfigReader
    let path: String
    private let entries: [(key: String, value: ConfigNode)]
    private let consumed: Consumed

    /// Tracks which keys were read, to report the rest as unknown.
    final class Consumed {
        var keys: Set<String> = []
    }

    init(_ node: ConfigNode, path: String, reader: ConfigReader) {
        self.reader = reader
        self.path = path
        self.consumed = Consumed()
        if case .table(let entries) = node {
            self.entries = entries
        } else {
            self.entries = []
            reader.report(path, "must be a table, found \(node.typeName)")
        }
    }

    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func node(_ key: String) -> ConfigNode? {
        consumed.keys.insert(key)
        return entries.first { $0.key == key }?.value
    }

    var keys: [String] { entries.map(\.key) }

    func has(_ key: String) -> Bool { entries.contains { $0.key == key } }

    /// Reports keys present in the file that nothing read.
    func rejectUnknownKeys() {
        for entry in entries where !consumed.keys.contains(entry.key) {
            reader.report(keyPath(entry.key), "unknown key")
        }
    }

    func string(_ key: String) -> String? {
        guard let node = node(key) else { return nil }
        guard case .string(let value) = node else {
            reader.report(keyPath(key), "must be a string, found \(node.typeName)")
            return nil
        }
        return value
    }

    func requiredString(_ key: String) -> String? {
        guard has(key) else {
            reader.report(keyPath(key), "is required")
            return nil
        }
        return string(key)
    }

    func integer(_ key: String, in range: ClosedRange<Int>? = nil) -> Int? {
        guard let node = node(key) else { return nil }
        guard case .integer(let value) = node else {
            reader.report(keyPath(key), "must be an integer, found \(node.typeName)")
            return nil
        }
        if let range, !range.contains(value) {
            reader.report(keyPath(key), "must be between \(range.lowerBound) and \(range.upperBound), found \(value)")
            return nil
        }
        return value
    }

    func number(_ key: String) -> Double? {
        guard let node = node(key) else { return nil }
        return number(node, path: keyPath(key))
    }

    func number(_ node: ConfigNode, path: String) -> Double? {
        switch node {
        case .integer(let value): return Double(value)
        case .double(let value) where value.isFinite: return value
        case .double: reader.report(path, "must be a finite number")
        default: reader.report(path, "must be a number, found \(node.typeName)")
        }
        return nil
    }

    func bool(_ key: String) -> Bool? {
        guard let node = node(key) else { return nil }
        guard case .bool(let value) = node else {
            reader.report(keyPath(key), "must be true or false, found \(node.typeName)")
            return nil
        }
        return value
    }

    /// A duration written `"100ms"`, `"30s"`, `"15m"`, `"1h"`, `"7d"`, or a number of seconds.
    func duration(_ key: String) -> Duration? {
        guard let node = node(key) else { return nil }
        switch node {
        case .integer(let seconds) where seconds >= 0: return .seconds(seconds)
        case .string(let text):
            if let duration = DurationText.parse(text) { return duration }
            reader.report(
                keyPath(key),
                "\"\(text)\" is not a duration of at most 100 years (use e.g. \"100ms\", \"30s\", \"15m\", \"1h\", \"7d\")"
            )
        default: reader.report(keyPath(key), "must be a duration such as \"15m\", found \(node.typeName)")
        }
        return nil
    }

    /// `[low, high]` with low ≤ high.
    func span(_ key: String) -> ClosedRange<Double>? {
        guard let node = node(key) else { return nil }
        guard case .array(let items) = node, items.count == 2,
            let low = number(items[0], path: keyPath(key) + "[0]"),
            let high = number(items[1], path: keyPath(key) + "[1]")
        else {
            if case .array(let items) = node, items.count == 2 { return nil }
            reader.report(keyPath(key), "must be a two-number array [low, high]")
            return nil
        }
        guard low <= high else {
            reader.report(keyPath(key), "low end \(low) is above high end \(high)")
            return nil
        }
        return low...high
    }

    func stringArray(_ key: String) -> [String]? {
        guard let node = node(key) else { return nil }
        guard case .array(let items) = node else {
            reader.report(keyPath(key), "must be an array of strings, found \(node.typeName)")
            return nil
        }
        var result: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let value) = item else {
                reader.report("\(keyPath(key))[\(index)]", "must be a string, found \(item.typeName)")
                continue
            }
            result.append(value)
        }
        return result
    }

    func table(_ key: String) -> TableReader? {
        node(key).map { TableReader($0, path: keyPath(key), reader: reader) }
    }

    /// An array of tables (`[[sensors]]`), each read at `key[index]`.
    func tables(_ key: String) -> [TableReader] {
        guard let node = node(key) else { return [] }
        guard case .array(let items) = node else {
            reader.report(keyPath(key), "must be an array of tables ([[\(key)]]), found \(node.typeName)")
            return []
        }
        return items.enumerated().map { index, item in
            TableReader(item, path: "\(keyPath(key))[\(index)]", reader: reader)
        }
    }

    /// A string that must be one of a fixed set, e.g. a payload format.
    func choice<T: RawRepresentable>(_ key: String, as type: T.Type) -> T? where T.RawValue == String, T: CaseIterable {
        guard let text = string(key) else { return nil }
        if let value = T(rawValue: text) { return value }
        let allowed = T.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
        reader.report(keyPath(key), "\"\(text)\" is not one of \(allowed)")
        return nil
    }
}

/// Durations as people write them in config files and CLI flags.
package enum DurationText {
    package static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingSpaces
        let digits = trimmed.prefix { $0.isNumber || $0 == "." }
        guard !digits.isEmpty, let amount = Double(digits), amount >= 0 else { return nil }
        let unit = trimmed.dropFirst(digits.count).trimmingSpaces
        let seconds: Double
        switch unit {
        case "ms": seconds = amount / 1000
        case "s", "": seconds = amount
        case "m", "min": seconds = amount * 60
        case "h": seconds = amount * 3600
        case "d": seconds = amount * 86400
        case "w": seconds = amount * 7 * 86400
        default: return nil
        }
        // A hundred years is more than any interval, age or retention means; beyond it the
        // conversion to Int64 milliseconds would trap.
        guard seconds <= 100 * 366 * 86400 else { return nil }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
