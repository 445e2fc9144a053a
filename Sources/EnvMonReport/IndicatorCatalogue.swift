package import EnvMonConfig
internal import Foundation

/// The digital-transformation indicators of `Config/indicators.toml`: groups in report order and
/// every figure of every period. Loading validates the whole file in one pass and names each
/// problem by entry and field, e.g. `indicators[12].target: must be a number, found a string`.
package struct IndicatorCatalogue: Sendable {
    package var groups: [IndicatorGroup]
    package var entries: [IndicatorEntry]
    /// Where the figures come from (the `source` key), shown under the indicator section.
    package var source: String?

    package init(groups: [IndicatorGroup], entries: [IndicatorEntry], source: String? = nil) {
        self.groups = groups
        self.entries = entries
        self.source = source
    }

    package static let currentVersion = 1

    package static func load(path: String) throws(ConfigError) -> IndicatorCatalogue {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError([ConfigIssue(path: "", message: "\(path): cannot read the indicators file")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError([ConfigIssue(path: "", message: "\(path): not UTF-8 text")])
        }
        return try parse(text, source: path)
    }

    package static func parse(_ text: String, source: String) throws(ConfigError) -> IndicatorCatalogue {
        let root = try ConfigNode.parse(text, source: source)
        var reader = IndicatorFileReader(locator: KeyLocator(text: text))
        let catalogue = reader.read(root)
        guard reader.issues.isEmpty else { throw ConfigError(reader.issues) }
        return catalogue
    }

    package func group(_ id: String) -> IndicatorGroup? { groups.first { $0.id == id } }

    /// For each indicator id (in file order), its newest entry whose period started before the
    /// report's end, and the newest entry of a period that ended before that one began.
    package func statuses(for period: ReportPeriod) -> [IndicatorStatus] {
        var order: [String] = []
        var byID: [String: [IndicatorEntry]] = [:]
        for entry in entries {
            if byID[entry.id] == nil { order.append(entry.id) }
            byID[entry.id, default: []].append(entry)
        }
        return order.compactMap { id in
            let candidates = byID[id]!.filter { $0.period.from < period.to }
                .sorted { ($0.period.to, $0.period.from) < ($1.period.to, $1.period.from) }
            guard let current = candidates.last else { return nil }
            let previous = candidates.last { $0.period.to <= current.period.from }
            return IndicatorStatus(current: current, previous: previous)
        }
    }
}

/// Reads the parsed TOML of an indicators file, collecting every problem with its key path.
struct IndicatorFileReader {
    let locator: KeyLocator
    private(set) var issues: [ConfigIssue] = []

    init(locator: KeyLocator) { self.locator = locator }

    mutating func report(_ path: String, _ message: String) {
        issues.append(ConfigIssue(path: path, message: message, line: locator.line(of: path)))
    }

    mutating func read(_ root: ConfigNode) -> IndicatorCatalogue {
        var catalogue = IndicatorCatalogue(groups: [], entries: [])
        guard case .table(let top) = root else { return catalogue }
        for (key, _) in top where !["version", "source", "groups", "indicators"].contains(key) {
            report(key, "unknown key")
        }
        if let version = top.first(where: { $0.key == "version" })?.value {
            if case .integer(let number) = version {
                if number != IndicatorCatalogue.currentVersion {
                    report("version", "unsupported version \(number) (this envmon reads version 1)")
                }
            } else {
                report("version", "must be an integer, found \(version.typeName)")
            }
        }
        if let source = top.first(where: { $0.key == "source" })?.value {
            if case .string(let text) = source {
                catalogue.source = text
            } else {
                report("source", "must be a string, found \(source.typeName)")
            }
        }
        catalogue.groups = readGroups(top.first { $0.key == "groups" }?.value)
        catalogue.entries = readEntries(top.first { $0.key == "indicators" }?.value, groups: catalogue.groups)
        return catalogue
    }

    private mutating func tables(_ node: ConfigNode?, key: String) -> [(path: String, fields: Fields)] {
        guard let node else {
            report(key, "is required ([[\(key)]] tables)")
            return []
        }
        guard case .array(let items) = node else {
            report(key, "must be an array of tables ([[\(key)]]), found \(node.typeName)")
            return []
        }
        var result: [(String, Fields)] = []
        for (index, item) in items.enumerated() {
            let path = "\(key)[\(index)]"
            guard case .table(let entries) = item else {
                report(path, "must be a table, found \(item.typeName)")
                continue
            }
            result.append((path, Fields(path: path, entries: entries)))
        }
        return result
    }

    private mutating func readGroups(_ node: ConfigNode?) -> [IndicatorGroup] {
        var groups: [IndicatorGroup] = []
        for (path, fields) in tables(node, key: "groups") {
            var fields = fields
            let id = identifier(&fields, "id")
            let nameVietnamese = text(&fields, "name_vi", required: true)
            let nameEnglish = text(&fields, "name_en", required: true)
            unknownKeys(fields)
            guard let id, let nameVietnamese, let nameEnglish else { continue }
            if groups.contains(where: { $0.id == id }) {
                report("\(path).id", "duplicate group \"\(id)\"")
                continue
            }
            groups.append(IndicatorGroup(id: id, nameVietnamese: nameVietnamese, nameEnglish: nameEnglish))
        }
        return groups
    }

    private mutating func readEntries(_ node: ConfigNode?, groups: [IndicatorGroup]) -> [IndicatorEntry] {
        var entries: [IndicatorEntry] = []
        var firstIndex: [String: (index: Int, group: String, unit: String)] = [:]
        var seenPeriods: [String: Int] = [:]
        for (index, (path, fields)) in tables(node, key: "indicators").enumerated() {
            var fields = fields
            let id = identifier(&fields, "id")
            let group = text(&fields, "group", required: true)
            if let group, !groups.contains(where: { $0.id == group }) {
                let known = groups.map { "\"\($0.id)\"" }.joined(separator: ", ")
                report("\(path).group", "unknown group \"\(group)\" (groups: \(known))")
            }
            let nameVietnamese = text(&fields, "name_vi", required: true)
            let nameEnglish = text(&fields, "name_en", required: true)
            let unit = text(&fields, "unit", required: true)
            let unitEnglish = text(&fields, "unit_en", required: false)
            let value = number(&fields, "value", required: true)
            let qualifier = choice(&fields, "qualifier", IndicatorEntry.Qualifier.self) ?? .exact
            let target = number(&fields, "target", required: false)
            let comparison = choice(&fields, "target_comparison", IndicatorEntry.Comparison.self)
            let basis = text(&fields, "target_basis", required: false)
            if target == nil, fields.has("target_comparison") || fields.has("target_basis"), !fields.has("target") {
                report("\(path).target", "is required with target_comparison or target_basis")
            }
            if target != nil, basis == nil, !fields.has("target_basis") {
                report("\(path).target_basis", "is required with a target: say where the target comes from")
            }
            var period: ReportPeriod?
            if let periodText = text(&fields, "period", required: true) {
                period = ReportPeriod.parse(periodText)
                if period == nil {
                    report(
                        "\(path).period", "\"\(periodText)\" is not a period (use \"2025\", \"2026-Q2\" or \"2026-06\")"
                    )
                }
            }
            let section = text(&fields, "section", required: true)
            let quote = text(&fields, "quote", required: false)
            unknownKeys(fields)
            guard let id, let group, let nameVietnamese, let nameEnglish, let unit, let value, let period, let section
            else { continue }
            if let first = firstIndex[id] {
                if first.group != group {
                    report(
                        "\(path).group",
                        "\"\(group)\" differs from indicators[\(first.index)] of the same id (\"\(first.group)\")")
                }
                if first.unit != unit {
                    report(
                        "\(path).unit",
                        "\"\(unit)\" differs from indicators[\(first.index)] of the same id (\"\(first.unit)\")")
                }
            } else {
                firstIndex[id] = (index, group, unit)
            }
            let periodKey = "\(id)@\(period.label)"
            if let other = seenPeriods[periodKey] {
                report("\(path).period", "indicators[\(other)] already gives \"\(id)\" for \(period.label)")
                continue
            }
            seenPeriods[periodKey] = index
            entries.append(
                IndicatorEntry(
                    id: id, group: group, nameVietnamese: nameVietnamese, nameEnglish: nameEnglish, unit: unit,
                    unitEnglish: unitEnglish, value: value, qualifier: qualifier, target: target,
                    targetComparison: comparison ?? .atLeast, targetBasis: basis, period: period, section: section,
                    quote: quote))
        }
        return entries
    }

    /// The fields of one table, tracking which were read so the rest can be reported as unknown.
    struct Fields {
        let path: String
        let entries: [(key: String, value: ConfigNode)]
        var consumed: Set<String> = []

        init(path: String, entries: [(key: String, value: ConfigNode)]) {
            self.path = path
            self.entries = entries
        }

        func has(_ key: String) -> Bool { entries.contains { $0.key == key } }

        mutating func take(_ key: String) -> ConfigNode? {
            consumed.insert(key)
            return entries.first { $0.key == key }?.value
        }
    }

    private mutating func unknownKeys(_ fields: Fields) {
        for (key, _) in fields.entries where !fields.consumed.contains(key) {
            report("\(fields.path).\(key)", "unknown key")
        }
    }

    private mutating func text(_ fields: inout Fields, _ key: String, required: Bool) -> String? {
        let path = "\(fields.path).\(key)"
        guard let node = fields.take(key) else {
            if required { report(path, "is required") }
            return nil
        }
        guard case .string(let value) = node else {
            report(path, "must be a string, found \(node.typeName)")
            return nil
        }
        guard !value.allSatisfy({ $0 == " " }) else {
            report(path, "must not be empty")
            return nil
        }
        return value
    }

    private mutating func identifier(_ fields: inout Fields, _ key: String) -> String? {
        guard let value = text(&fields, key, required: true) else { return nil }
        guard value.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }) else {
            report("\(fields.path).\(key)", "\"\(value)\" must be lower-case letters, digits and _")
            return nil
        }
        return value
    }

    private mutating func number(_ fields: inout Fields, _ key: String, required: Bool) -> Double? {
        let path = "\(fields.path).\(key)"
        guard let node = fields.take(key) else {
            if required { report(path, "is required") }
            return nil
        }
        switch node {
        case .integer(let value): return Double(value)
        case .double(let value) where value.isFinite: return value
        case .double: report(path, "must be a finite number")
        default: report(path, "must be a number, found \(node.typeName)")
        }
        return nil
    }

    private mutating func choice<T: RawRepresentable & CaseIterable>(
        _ fields: inout Fields, _ key: String, _ type: T.Type
    ) -> T? where T.RawValue == String {
        guard let value = text(&fields, key, required: false) else { return nil }
        if let result = T(rawValue: value) { return result }
        let allowed = T.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
        report("\(fields.path).\(key)", "\"\(value)\" is not one of \(allowed)")
        return nil
    }
}
