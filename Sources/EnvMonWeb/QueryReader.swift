internal import EnvMonCore
internal import EnvMonJSON
internal import EnvMonStore
internal import Hummingbird

/// Reads a request's query string; every refusal names the parameter, and a parameter the
/// endpoint does not know is refused too (a mistyped `form=` must not silently mean "default").
struct QueryReader {
    let fields: FormFields
    let now: Timestamp

    init(_ request: Request, allowed: Set<String>, now: Timestamp) throws(ConsoleError) {
        fields = FormFields(request.uri.query ?? "")
        self.now = now
        // `lang` is the page language switch; harmless on the API.
        for name in fields.names.sorted() where !allowed.contains(name) && name != "lang" {
            let known = allowed.sorted().joined(separator: ", ")
            throw .badParameter(
                name, "unknown parameter \"\(name)\"\(known.isEmpty ? "" : "; this endpoint takes \(known)")")
        }
    }

    func string(_ name: String) -> String? {
        guard let value = fields[name], !value.isEmpty else { return nil }
        return value
    }

    func required(_ name: String) throws(ConsoleError) -> String {
        guard let value = string(name) else { throw .badParameter(name, "parameter \"\(name)\" is required") }
        return value
    }

    func time(_ name: String, default fallback: Timestamp) throws(ConsoleError) -> Timestamp {
        guard let text = string(name) else { return fallback }
        guard let time = TimeText.parse(text, now: now) else {
            throw .badParameter(name, "\(name)=\"\(text.prefix(60))\" is not a time: \(TimeText.forms)")
        }
        return time
    }

    /// A time when the parameter is given, else nil.
    func optionalTime(_ name: String) throws(ConsoleError) -> Timestamp? {
        string(name) == nil ? nil : try time(name, default: now)
    }

    func integer(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws(ConsoleError) -> Int {
        guard let text = string(name) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw .badParameter(
                name,
                "\(name)=\"\(text.prefix(30))\" must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func bool(_ name: String, default fallback: Bool) throws(ConsoleError) -> Bool {
        guard let text = string(name) else { return fallback }
        switch text {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw .badParameter(name, "\(name)=\"\(text.prefix(30))\" must be true or false")
        }
    }

    func choice<Value: RawRepresentable>(_ name: String, as type: Value.Type) throws(ConsoleError) -> Value?
    where Value.RawValue == String, Value: CaseIterable {
        guard let text = string(name) else { return nil }
        guard let value = Value(rawValue: text) else {
            let choices = Value.allCases.map(\.rawValue).joined(separator: ", ")
            throw .badParameter(name, "\(name)=\"\(text.prefix(30))\" must be one of \(choices)")
        }
        return value
    }
}
