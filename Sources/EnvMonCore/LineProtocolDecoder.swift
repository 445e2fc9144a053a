/// InfluxDB line protocol, one point per line:
/// `<measurement>[,<tag>=<value>...] <field>=<value>[,<field>=<value>...] [<timestamp>]`.
///
/// The measurement is parsed (with its escapes) but not used: EnvMon names series by sensor and
/// metric. Tags `sensor` and `site` name the sensor and its site (else the topic's levels), an
/// optional `unit` tag applies to every field, other tags are ignored. Each numeric field
/// (float, `1i` integer, `1u` unsigned) is a metric; string and boolean fields are skipped, as
/// they cannot be readings. The timestamp is an integer in `DecodeContext.precision` (default
/// nanoseconds, as InfluxDB); without one the receive time is used.
///
/// A malformed line is one `undecodable` rejection naming the line and the problem; the other
/// lines still decode. `#` comment lines and blank lines are skipped.
package enum LineProtocolDecoder {
    package static func decode(_ payload: [UInt8], context: DecodeContext) -> DecodeResult {
        let topic = TopicPath.parse(topic: context.topic, prefix: context.topicPrefix)
        var result = DecodeResult()
        var lineNumber = 0
        var lineStart = 0
        while lineStart <= payload.count {
            var lineEnd = lineStart
            while lineEnd < payload.count, payload[lineEnd] != 0x0A { lineEnd += 1 }
            lineNumber += 1
            var content = payload[lineStart..<lineEnd]
            if content.last == 0x0D { content = content.dropLast() }
            decodeLine(content, number: lineNumber, topic: topic, context: context, into: &result)
            lineStart = lineEnd + 1
        }
        if result.samples.isEmpty, result.rejections.isEmpty {
            result.rejections.append(Rejection(.undecodable, "no numeric line-protocol fields in the payload"))
        }
        return result
    }

    struct LineError: Error {
        var message: String
    }

    private static func decodeLine(
        _ line: ArraySlice<UInt8>, number: Int, topic: TopicPath?, context: DecodeContext,
        into result: inout DecodeResult
    ) {
        var scanner = LineScanner(line)
        scanner.skipBlanks()
        if scanner.atEnd || scanner.current == UInt8(ascii: "#") { return }
        do throws(LineError) {
            let point = try scanner.parsePoint()
            guard let sensor = point.tags["sensor"] ?? topic?.sensor else {
                throw LineError(message: "no \"sensor\" tag, and the topic has no sensor level")
            }
            let site = point.tags["site"] ?? topic?.site
            var timestamp = context.receivedAt
            var timeSource = TimeSource.receipt
            if let raw = point.timestamp {
                timeSource = .device
                guard let milliseconds = milliseconds(raw, precision: context.precision) else {
                    throw LineError(
                        message: "timestamp \(raw) is out of range for precision \(context.precision.rawValue)")
                }
                timestamp = Timestamp(milliseconds: milliseconds)
            }
            for field in point.fields {
                switch field.value {
                case .number(let value):
                    result.samples.append(
                        DecodedSample(
                            sensor: sensor, site: site, metric: field.key, value: value, unit: point.tags["unit"],
                            timestamp: timestamp, timeSource: timeSource))
                case .notFinite(let text):
                    result.rejections.append(
                        Rejection(
                            .notFinite,
                            "line \(number): field \(detailQuoted(field.key)) value \(detailQuoted(text)) is not finite"
                        ))
                case .skipped:
                    continue
                }
            }
        } catch {
            result.rejections.append(Rejection(.undecodable, "line \(number): \(error.message)"))
        }
    }

    /// `raw` in `precision` units as milliseconds (floored, so pre-1970 times stay ordered).
    static func milliseconds(_ raw: Int64, precision: TimePrecision) -> Int64? {
        func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
            let quotient = value / divisor
            return (value % divisor != 0 && value < 0) ? quotient - 1 : quotient
        }
        switch precision {
        case .nanoseconds: return floorDivide(raw, 1_000_000)
        case .microseconds: return floorDivide(raw, 1000)
        case .milliseconds: return raw
        case .seconds:
            let (product, overflow) = raw.multipliedReportingOverflow(by: 1000)
            return overflow ? nil : product
        }
    }
}

/// One parsed line.
struct LinePoint {
    enum FieldValue {
        case number(Double)
        case notFinite(String)
        /// String and boolean fields: valid line protocol, but not readings.
        case skipped
    }

    var measurement: String
    var tags: [String: String]
    var fields: [(key: String, value: FieldValue)]
    var timestamp: Int64?
}

/// A cursor over one line's bytes, implementing the line-protocol escaping rules: the
/// measurement escapes comma and space; tag keys, tag values and field keys escape comma, `=` and
/// space; string field values escape `"` and `\`. A backslash before any other character is kept
/// literally, as InfluxDB does.
struct LineScanner {
    private let bytes: ArraySlice<UInt8>
    private var position: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.position = bytes.startIndex
    }

    var atEnd: Bool { position >= bytes.endIndex }
    var current: UInt8 { bytes[position] }

    mutating func skipBlanks() {
        while !atEnd, current == 0x20 || current == 0x09 { position += 1 }
    }

    typealias LineError = LineProtocolDecoder.LineError

    mutating func parsePoint() throws(LineError) -> LinePoint {
        let measurement = scanEscaped(stoppingAt: [UInt8(ascii: ","), 0x20], escapable: [UInt8(ascii: ","), 0x20])
        guard !measurement.isEmpty else { throw LineError(message: "missing measurement name") }
        var tags: [String: String] = [:]
        if !atEnd, current == UInt8(ascii: ",") {
            position += 1
            try parseTags(into: &tags)
        }
        guard !atEnd else { throw LineError(message: "no fields after \(describe(measurement, tags))") }
        skipBlanks()
        guard !atEnd else { throw LineError(message: "no fields after \(describe(measurement, tags))") }
        let fields = try parseFields()
        var timestamp: Int64? = nil
        skipBlanks()
        if !atEnd {
            let start = position
            if current == UInt8(ascii: "-") { position += 1 }
            while !atEnd, ASCII.isDigit(current) { position += 1 }
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            skipBlanks()
            guard atEnd, let value = Int64(text) else {
                let rest = String(decoding: bytes[start..<bytes.endIndex], as: UTF8.self)
                throw LineError(message: "expected an integer timestamp after the fields, found \(detailQuoted(rest))")
            }
            timestamp = value
        }
        return LinePoint(measurement: measurement, tags: tags, fields: fields, timestamp: timestamp)
    }

    private func describe(_ measurement: String, _ tags: [String: String]) -> String {
        tags.isEmpty ? "measurement \(detailQuoted(measurement))" : "the tags of \(detailQuoted(measurement))"
    }

    private static let keyEscapable: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: "="), 0x20]

    private mutating func parseTags(into tags: inout [String: String]) throws(LineError) {
        while true {
            let key = scanEscaped(stoppingAt: Self.keyEscapable, escapable: Self.keyEscapable)
            guard !key.isEmpty else { throw LineError(message: "empty tag key") }
            guard !atEnd, current == UInt8(ascii: "=") else {
                throw LineError(message: "tag \(detailQuoted(key)) has no '=' and value")
            }
            position += 1
            let value = scanEscaped(stoppingAt: Self.keyEscapable, escapable: Self.keyEscapable)
            guard !value.isEmpty else { throw LineError(message: "tag \(detailQuoted(key)) has an empty value") }
            if !atEnd, current == UInt8(ascii: "=") {
                throw LineError(message: "tag \(detailQuoted(key)) has an unescaped '=' in its value")
            }
            tags[key] = value
            if !atEnd, current == UInt8(ascii: ",") {
                position += 1
                continue
            }
            return
        }
    }

    private mutating func parseFields() throws(LineError) -> [(key: String, value: LinePoint.FieldValue)] {
        var fields: [(key: String, value: LinePoint.FieldValue)] = []
        while true {
            let key = scanEscaped(stoppingAt: Self.keyEscapable, escapable: Self.keyEscapable)
            guard !key.isEmpty else { throw LineError(message: "empty field key") }
            guard !atEnd, current == UInt8(ascii: "=") else {
                throw LineError(message: "field \(detailQuoted(key)) has no value")
            }
            position += 1
            fields.append((key, try parseFieldValue(key: key)))
            if !atEnd, current == UInt8(ascii: ",") {
                position += 1
                continue
            }
            return fields
        }
    }

    private mutating func parseFieldValue(key: String) throws(LineError) -> LinePoint.FieldValue {
        guard !atEnd, current != UInt8(ascii: ","), current != 0x20 else {
            throw LineError(message: "field \(detailQuoted(key)) has no value")
        }
        if current == UInt8(ascii: "\"") {
            position += 1
            while true {
                guard !atEnd else { throw LineError(message: "field \(detailQuoted(key)) has an unterminated string") }
                if current == UInt8(ascii: "\\"), position + 1 < bytes.endIndex,
                    bytes[position + 1] == UInt8(ascii: "\"") || bytes[position + 1] == UInt8(ascii: "\\")
                {
                    position += 2
                    continue
                }
                position += 1
                if bytes[position - 1] == UInt8(ascii: "\"") { break }
            }
            guard atEnd || current == UInt8(ascii: ",") || current == 0x20 else {
                throw LineError(message: "field \(detailQuoted(key)) has text after its closing quote")
            }
            return .skipped
        }
        let start = position
        while !atEnd, current != UInt8(ascii: ","), current != 0x20 { position += 1 }
        let raw = bytes[start..<position]
        let text = String(decoding: raw, as: UTF8.self)
        switch text {
        case "t", "T", "true", "True", "TRUE", "f", "F", "false", "False", "FALSE": return .skipped
        default: break
        }
        if raw.last == UInt8(ascii: "i") {
            guard let integer = Int64(text.dropLast()) else {
                throw LineError(message: "field \(detailQuoted(key)) has an invalid integer \(detailQuoted(text))")
            }
            return .number(Double(integer))
        }
        if raw.last == UInt8(ascii: "u") {
            guard raw.first != UInt8(ascii: "-"), let unsigned = UInt64(text.dropLast()) else {
                throw LineError(
                    message: "field \(detailQuoted(key)) has an invalid unsigned integer \(detailQuoted(text))")
            }
            return .number(Double(unsigned))
        }
        switch NumberText.parse(raw) {
        case .finite(let value): return .number(value)
        case .notFinite(let word): return .notFinite(word)
        case nil: throw LineError(message: "field \(detailQuoted(key)) has an invalid value \(detailQuoted(text))")
        }
    }

    /// Reads up to the first unescaped byte in `stops` (or the end), undoing `\x` escapes for the
    /// bytes in `escapable`.
    private mutating func scanEscaped(stoppingAt stops: [UInt8], escapable: [UInt8]) -> String {
        var output: [UInt8] = []
        while !atEnd {
            let byte = current
            if byte == UInt8(ascii: "\\"), position + 1 < bytes.endIndex, escapable.contains(bytes[position + 1]) {
                output.append(bytes[position + 1])
                position += 2
                continue
            }
            if stops.contains(byte) { break }
            output.append(byte)
            position += 1
        }
        return String(decoding: output, as: UTF8.self)
    }
}
