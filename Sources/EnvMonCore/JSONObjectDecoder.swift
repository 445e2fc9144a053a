/// A JSON object on `<prefix>/<site>/<sensor>` whose numeric members are metrics:
/// `{"ts":"2026-11-29T03:00:00Z","seq":17,"water_temp":24.8,"salinity":30.1,"do":6.2}`.
///
/// Reserved members: `ts` (epoch seconds, epoch milliseconds when ≥ 1e11, or an RFC 3339
/// string), `seq` (integer), `sensor` and `site` (override the topic). Every other member is a
/// metric: a number is a reading; `null` means "no value this time" and is skipped; a string
/// holding a decimal number is read as that number (some gateways quote every value); anything
/// else is rejected for that member only, so one bad field does not cost the others.
/// A bad `ts`, `seq`, `sensor` or `site` rejects the whole object: every reading depends on them.
package enum JSONObjectDecoder {
    /// Epoch numbers at or above this are milliseconds: 1e11 s is the year 5138, 1e11 ms is 1973.
    package static let millisecondsThreshold = 1e11

    package static func decode(
        _ payload: [UInt8], context: DecodeContext, maximumDepth: Int = JSONParser.defaultMaximumDepth
    ) -> DecodeResult {
        let root: JSONValue
        do {
            root = try JSONParser.parse(payload, maximumDepth: maximumDepth)
        } catch {
            return DecodeResult(rejections: [Rejection(.undecodable, error.description)])
        }
        guard case .object(let members) = root else {
            return DecodeResult(rejections: [
                Rejection(.undecodable, "expected a JSON object of metrics, got \(root.kindDescription)")
            ])
        }
        return decode(members, context: context)
    }

    static func decode(_ members: [JSONMember], context: DecodeContext) -> DecodeResult {
        let topic = TopicPath.parse(topic: context.topic, prefix: context.topicPrefix)
        var site = topic?.site
        var sensor = topic?.sensor
        var timestamp = context.receivedAt
        var timeSource = TimeSource.receipt
        var sequence: Int64? = nil
        var reportedStatus: DeviceStatus? = nil
        var statusRejection: Rejection? = nil
        // Most networks configure none: then no member name is hashed for it.
        let readsStatus = !context.statusFields.isEmpty

        for member in members {
            if readsStatus, context.statusFields.contains(member.key) {
                switch deviceStatus(member.value) {
                case .success(let status): reportedStatus = status
                case .failure(let rejection): statusRejection = rejection
                }
                continue
            }
            switch member.key {
            case "ts":
                switch parseTime(member.value) {
                case .success(let time?):
                    timestamp = time
                    timeSource = .device
                case .success(nil): break
                case .failure(let rejection): return DecodeResult(rejections: [rejection])
                }
            case "seq":
                guard case .number(let number) = member.value, let integer = exactInteger(number) else {
                    return DecodeResult(rejections: [
                        Rejection(.undecodable, "\"seq\" must be an integer, got \(describe(member.value))")
                    ])
                }
                sequence = integer
            case "sensor", "site":
                guard case .string(let text) = member.value, !text.isEmpty else {
                    return DecodeResult(rejections: [
                        Rejection(
                            .undecodable, "\"\(member.key)\" must be a non-empty string, got \(describe(member.value))")
                    ])
                }
                if member.key == "sensor" { sensor = text } else { site = text }
            default:
                continue
            }
        }

        guard let sensor else {
            return DecodeResult(rejections: [
                Rejection(
                    .undecodable,
                    "no sensor: the topic \(detailQuoted(context.topic, limit: 120)) does not match "
                        + "\(topicLayout(context.topicPrefix, "<site>/<sensor>")) and the object has no \"sensor\" member"
                )
            ])
        }

        var result = DecodeResult()
        if let statusRejection { result.rejections.append(statusRejection) }
        var metricCount = 0
        for member in members {
            switch member.key {
            case "ts", "seq", "sensor", "site": continue
            case _ where readsStatus && context.statusFields.contains(member.key): continue
            default: break
            }
            metricCount += 1
            let value: Double
            switch member.value {
            case .null:
                continue
            case .number(let number):
                value = number
            case .string(let text):
                switch NumberText.parse(text.utf8) {
                case .finite(let number): value = number
                case .notFinite: value = .nan
                case nil:
                    result.rejections.append(
                        Rejection(
                            .undecodable,
                            "field \(detailQuoted(member.key)) is a string (\(detailQuoted(text))), not a number"))
                    continue
                }
            default:
                result.rejections.append(
                    Rejection(
                        .undecodable,
                        "field \(detailQuoted(member.key)) is \(member.value.kindDescription), not a number"))
                continue
            }
            guard value.isFinite else {
                result.rejections.append(
                    Rejection(.notFinite, "field \(detailQuoted(member.key)) is not a finite number"))
                continue
            }
            var sample = DecodedSample(
                sensor: sensor, site: site, metric: member.key, value: value, timestamp: timestamp,
                sequence: sequence, timeSource: timeSource)
            sample.reportedStatus = reportedStatus
            result.samples.append(sample)
        }
        if metricCount == 0 {
            result.rejections.append(Rejection(.undecodable, "the JSON object has no metric fields"))
        }
        return result
    }

    /// A device status member: a TT 10/2021 code or a name (`DeviceStatus(reported:)`); `null` is
    /// none. An unreadable one is rejected on its own and the readings are kept as measuring.
    static func deviceStatus(_ value: JSONValue) -> Result<DeviceStatus?, Rejection> {
        switch value {
        case .null: return .success(nil)
        case .number(let number):
            if let status = DeviceStatus(reported: number) { return .success(status) }
        case .string(let text):
            if let status = DeviceStatus(reported: text) { return .success(status) }
        default: break
        }
        return .failure(
            Rejection(
                .undecodable,
                "device status \(describe(value)) is not one of 0/00 measuring, 1/01 calibrating, 2/02 device error"))
    }

    /// The instant a `ts` member names; nil for `null` (use the receive time).
    static func parseTime(_ value: JSONValue) -> Result<Timestamp?, Rejection> {
        switch value {
        case .null:
            return .success(nil)
        case .number(let number):
            guard let time = epochTime(number) else {
                return .failure(Rejection(.badTimestamp, "\"ts\" \(number) is not a usable epoch time"))
            }
            return .success(time)
        case .string(let text):
            if let time = RFC3339.parse(text) { return .success(time) }
            if case .finite(let number) = NumberText.parse(text.utf8), let time = epochTime(number) {
                return .success(time)
            }
            return .failure(
                Rejection(
                    .badTimestamp,
                    "\"ts\" \(detailQuoted(text)) is neither an RFC 3339 time nor epoch seconds or milliseconds"))
        default:
            return .failure(
                Rejection(
                    .badTimestamp,
                    "\"ts\" is \(value.kindDescription), expected epoch seconds or milliseconds or an RFC 3339 string"))
        }
    }

    static func epochTime(_ number: Double) -> Timestamp? {
        guard number.isFinite else { return nil }
        if abs(number) >= millisecondsThreshold {
            return Timestamp.checked(seconds: number / 1000)
        }
        return Timestamp.checked(seconds: number)
    }

    /// `number` as an Int64 when it is a whole number in range.
    static func exactInteger(_ number: Double) -> Int64? {
        guard number.isFinite, number == number.rounded(), abs(number) < 9.2e18 else { return nil }
        return Int64(number)
    }

    private static func describe(_ value: JSONValue) -> String {
        switch value {
        case .number(let number): "\(number)"
        case .string(let text): "the string \(detailQuoted(text))"
        default: value.kindDescription
        }
    }
}
