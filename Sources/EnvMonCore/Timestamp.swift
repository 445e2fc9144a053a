/// A point in time as integer milliseconds since the Unix epoch, UTC.
///
/// Readings are stored and compared in this form; conversion to calendar time and to
/// Asia/Ho_Chi_Minh happens only at the edges (CLI, report).
package struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    package var milliseconds: Int64

    package init(milliseconds: Int64) { self.milliseconds = milliseconds }

    package init(seconds: Double) { self.milliseconds = Int64((seconds * 1000).rounded()) }

    package var seconds: Double { Double(milliseconds) / 1000 }

    package static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.milliseconds < rhs.milliseconds }

    package func adding(milliseconds delta: Int64) -> Timestamp { Timestamp(milliseconds: milliseconds + delta) }

    package func adding(_ duration: Duration) -> Timestamp {
        adding(milliseconds: duration.wholeMilliseconds)
    }

    /// The start of the bucket of `width` milliseconds that holds this time.
    package func floored(toMultipleOf width: Int64) -> Timestamp {
        let remainder = milliseconds % width
        return Timestamp(milliseconds: milliseconds - (remainder < 0 ? remainder + width : remainder))
    }

    package var description: String { RFC3339.format(self) }
}

extension Duration {
    /// Whole milliseconds, truncating toward zero.
    package var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}

/// Encoded as plain integer milliseconds, the form the database and the wire use.
extension Timestamp: Codable {
    package init(from decoder: any Decoder) throws {
        milliseconds = try decoder.singleValueContainer().decode(Int64.self)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(milliseconds)
    }
}
