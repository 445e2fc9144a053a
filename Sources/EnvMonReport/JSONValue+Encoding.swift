package import EnvMonCore

extension JSONValue {
    /// Compact or indented JSON text; object members keep their order, so output is stable.
    package func encoded(indent: Int? = 2) -> String {
        var output = ""
        write(to: &output, indent: indent, level: 0)
        return output
    }

    private func write(to output: inout String, indent: Int?, level: Int) {
        func newline(_ depth: Int) {
            guard let indent else { return }
            output += "\n" + String(repeating: " ", count: indent * depth)
        }
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .number(let value): output += Self.number(value)
        case .string(let text): output += Self.quote(text)
        case .array(let items):
            guard !items.isEmpty else {
                output += "[]"
                return
            }
            // Arrays of scalars stay on one line: chart points and lists of ids read better so.
            let scalar = items.allSatisfy {
                if case .array = $0 { false } else if case .object = $0 { false } else { true }
            }
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += "," }
                if !scalar { newline(level + 1) }
                item.write(to: &output, indent: indent, level: level + 1)
            }
            if !scalar { newline(level) }
            output += "]"
        case .object(let members):
            guard !members.isEmpty else {
                output += "{}"
                return
            }
            output += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { output += "," }
                newline(level + 1)
                output += Self.quote(member.key) + (indent == nil ? ":" : ": ")
                member.value.write(to: &output, indent: indent, level: level + 1)
            }
            newline(level)
            output += "}"
        }
    }

    static func number(_ value: Double) -> String { JSONText.number(value) }

    static func quote(_ text: String) -> String { JSONText.quote(text) }
}
