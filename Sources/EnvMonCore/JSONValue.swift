/// A parsed JSON value. Objects keep their members in document order as an array: payload objects
/// are small, so a linear lookup beats hashing, and order is useful in error messages.
package enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    /// JSON numbers as IEEE doubles (RFC 8428 asks receivers for the full double range). A literal
    /// too large for a double becomes ±infinity, so callers can report it as not finite.
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    /// The value of the member named `key` when this is an object (member names are unique; the
    /// parser rejects duplicates).
    package subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        for member in members where member.key == key { return member.value }
        return nil
    }

    /// A short name of the value's type for error messages, e.g. `a string`.
    package var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// One `"key": value` pair of a JSON object.
package struct JSONMember: Hashable, Sendable {
    package var key: String
    package var value: JSONValue

    package init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}
