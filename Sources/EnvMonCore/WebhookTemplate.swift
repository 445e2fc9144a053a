/// A webhook body with `{{field}}` placeholders, filled with an alert event's fields, so a Zalo
/// OA, Telegram or Slack relay gets the shape it wants: `{"text": "{{text}}"}`. Values are
/// inserted JSON-escaped (without quotes: the template places them), so a note with a quote in it
/// cannot break the body.
package struct WebhookTemplate: Hashable, Sendable {
    /// The fields a template may name: those of the MQTT event, plus `text` (the journal line).
    package static let fields: Set<String> = [
        "id", "rule", "kind", "sensor", "site", "metric", "state", "notice", "severity", "value", "threshold", "unit",
        "basis", "at", "raised_at", "acknowledged_by", "text", "event",
    ]

    enum Part: Hashable, Sendable {
        case literal(String)
        case field(String)
    }

    let parts: [Part]
    package let source: String

    package struct Problem: Error, CustomStringConvertible {
        package var description: String
    }

    /// Parses `text`; a `{{` without `}}` or an unknown field name is a problem naming it.
    package init(_ text: String) throws(Problem) {
        var parts: [Part] = []
        var rest = Substring(text)
        while let open = rest.firstRange(of: "{{") {
            parts.append(.literal(String(rest[..<open.lowerBound])))
            let after = rest[open.upperBound...]
            guard let close = after.firstRange(of: "}}") else {
                throw Problem(description: "\"{{\" at \"\(after.prefix(20))\" is not closed with \"}}\"")
            }
            let name = after[..<close.lowerBound].trimmingCharacters(in: " ")
            guard Self.fields.contains(name) else {
                throw Problem(
                    description: "unknown field {{\(name)}}; known: \(Self.fields.sorted().joined(separator: ", "))")
            }
            parts.append(.field(name))
            rest = after[close.upperBound...]
        }
        parts.append(.literal(String(rest)))
        self.parts = parts.filter { $0 != .literal("") }
        self.source = text
    }

    /// The body for one event; a field the event lacks becomes empty (`value` of a no_data alert).
    package func render(_ values: [String: String]) -> String {
        var result = ""
        for part in parts {
            switch part {
            case .literal(let text): result += text
            case .field(let name): result += JSONText.escapedContent(values[name] ?? "")
            }
        }
        return result
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in characters: String) -> String {
        String(drop { characters.contains($0) }.reversed().drop { characters.contains($0) }.reversed())
    }
}
