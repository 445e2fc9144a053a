/// A SenML JSON pack (RFC 8428) mapped onto EnvMon samples.
///
/// Names: with a base name, `bn` is the sensor (a trailing `/` or `:` separator dropped) and `n`
/// the metric; a record with a base name but no `n` takes the metric from the topic's metric
/// level, if any. Without a base name, `n` is `<sensor>/<metric>` (split at the last `/` or
/// `:`), or just the metric when the topic names the sensor. The site comes from the topic.
///
/// Only numeric values are readings. String, boolean and data records, and sum-only records,
/// are skipped without a rejection: SenML packs legitimately mix them with measurements (RFC
/// 8428 §5.1.5), and rejecting them would fill the rejects table with valid data.
/// The unit (`u`, else `bu`) is passed on as given; the validator converts it.
package enum SenMLDecoder {
    package static func decode(
        _ payload: [UInt8], context: DecodeContext, maximumDepth: Int = JSONParser.defaultMaximumDepth
    ) -> DecodeResult {
        let resolution: SenML.Resolution
        do {
            resolution = try SenML.resolve(json: payload, now: context.receivedAt, maximumDepth: maximumDepth)
        } catch {
            return DecodeResult(rejections: [error])
        }
        var result = DecodeResult(rejections: resolution.rejections)
        if resolution.records.isEmpty, resolution.rejections.isEmpty {
            result.rejections.append(Rejection(.undecodable, "the SenML pack has no records with values"))
            return result
        }
        let topic = TopicPath.parse(topic: context.topic, prefix: context.topicPrefix)
        let statuses =
            context.statusFields.isEmpty
            ? [:] : reportedStatuses(resolution.records, fields: context.statusFields, topic: topic, into: &result)
        for record in resolution.records {
            guard case .number(let value)? = record.value else { continue }
            let label = SenMLRecordLabel(index: record.index)
            let sensor: String
            let metric: String
            switch names(of: record, topic: topic) {
            case .success(let pair): (sensor, metric) = pair
            case .failure(let problem):
                result.rejections.append(Rejection(.undecodable, "\(label): \(problem)"))
                continue
            }
            if !context.statusFields.isEmpty, context.statusFields.contains(metric) { continue }
            guard value.isFinite else {
                result.rejections.append(
                    Rejection(.notFinite, "\(label): value of \(detailQuoted(metric)) is not finite"))
                continue
            }
            guard let timestamp = Timestamp.checked(seconds: record.time) else {
                result.rejections.append(Rejection(.badTimestamp, "\(label): time \(record.time) is out of range"))
                continue
            }
            var sample = DecodedSample(
                sensor: sensor, site: topic?.site, metric: metric, value: value, unit: record.unit,
                timestamp: timestamp, timeSource: record.timeIsRelative ? .receipt : .device)
            sample.reportedStatus = statuses[sensor]
            result.samples.append(sample)
        }
        return result
    }

    /// The device status each sensor of the pack reports in a record named by a status field
    /// (`v` with the TT 10/2021 code, or `vs` with a code or name); it applies to the whole pack.
    private static func reportedStatuses(
        _ records: [SenMLRecord], fields: Set<String>, topic: TopicPath?, into result: inout DecodeResult
    ) -> [String: DeviceStatus] {
        var statuses: [String: DeviceStatus] = [:]
        for record in records {
            guard case .success(let (sensor, metric)) = names(of: record, topic: topic),
                fields.contains(metric)
            else { continue }
            let status: DeviceStatus?
            switch record.value {
            case .number(let number)?: status = DeviceStatus(reported: number)
            case .string(let text)?: status = DeviceStatus(reported: text)
            default: status = nil
            }
            if let status {
                statuses[sensor] = status
            } else {
                result.rejections.append(
                    Rejection(
                        .undecodable,
                        "SenML record \(record.index + 1): device status \(detailQuoted(metric)) is not one of "
                            + "0/00 measuring, 1/01 calibrating, 2/02 device error"))
            }
        }
        return statuses
    }

    struct NamingProblem: Error, CustomStringConvertible {
        var description: String
    }

    /// Sensor and metric of a resolved record (see the type comment).
    static func names(of record: SenMLRecord, topic: TopicPath?) -> Result<(String, String), NamingProblem> {
        var sensor = Substring(record.baseName)
        if sensor.last == "/" || sensor.last == ":" { sensor.removeLast() }
        if !sensor.isEmpty {
            if !record.localName.isEmpty { return .success((String(sensor), record.localName)) }
            if let metric = topic?.metric { return .success((String(sensor), metric)) }
            return .failure(
                NamingProblem(
                    description: "base name \(detailQuoted(record.baseName)) with no \"n\" names no metric, "
                        + "and the topic has no metric level"))
        }
        let name = record.localName
        // Byte-wise: a resolved name is ASCII (`SenML.isValidName`), so no separator can be part
        // of a longer character, and this runs for every record.
        let bytes = name.utf8
        if let separator = bytes.lastIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: ":") }) {
            let before = name[..<separator]
            let after = name[bytes.index(after: separator)...]
            if !before.isEmpty, !after.isEmpty { return .success((String(before), String(after))) }
        }
        if let sensor = topic?.sensor { return .success((sensor, name)) }
        return .failure(
            NamingProblem(
                description: "name \(detailQuoted(name)) names no sensor (expected <sensor>/<metric> or a \"bn\"), "
                    + "and the topic has no sensor level"))
    }
}
