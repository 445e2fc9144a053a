package import EnvMonCore
package import EnvMonStore
internal import Foundation

/// The JSON object of each stored record. The CLI's `--format json` and the web API both build
/// their objects here, so a field has one name wherever it is read.
package enum RecordJSON {
    package static func alert(_ alert: AlertRecord, unit: String) -> [String: JSONField] {
        [
            "id": .string(alert.id), "rule": .string(alert.rule),
            // The rule's kind (`no_data`, `below`, ...): readers pick alerts of one kind by it,
            // whatever the config named the rules.
            "kind": .string(alert.kind), "sensor": .string(alert.sensor),
            "site": .string(alert.site), "metric": .string(alert.metric), "state": .string(alert.state.rawValue),
            "severity": .string(alert.severity.rawValue), "value": .optional(alert.value),
            "threshold": .number(alert.threshold), "unit": .string(unit), "basis": .string(alert.basis),
            "raised_at": .time(alert.raisedAt), "resolved_at": .time(alert.resolvedAt),
            "acknowledged_by": .optional(alert.acknowledgedBy), "acknowledged_at": .time(alert.acknowledgedAt),
        ]
    }

    /// The unit an alert's value and threshold are in: seconds of silence for `no_data`.
    package static func alertUnit(_ alert: AlertRecord, catalogue: MetricCatalogue) -> String {
        alert.kind == "no_data" ? "s" : catalogue.definition(named: alert.metric)?.unit ?? ""
    }

    package static func alertLogEntry(_ entry: AlertLogEntry) -> [String: JSONField] {
        [
            "at": .time(entry.at), "notice": .string(entry.notice.rawValue), "from": .string(entry.from.rawValue),
            "to": .string(entry.to.rawValue), "severity": .string(entry.severity.rawValue),
            "value": .optional(entry.value), "threshold": .number(entry.threshold), "by": .optional(entry.actor),
            "note": .optional(entry.note), "text": .string(entry.text),
        ]
    }

    /// A raw reading of one series, as `envmon query` shows it.
    package static func reading(_ reading: StoredReading) -> [String: JSONField] {
        [
            "ts": .time(reading.timestamp), "value": .number(reading.value),
            "quality": .integer(Int64(reading.quality.rawValue)),
            "flagged_by": .array(reading.flaggedBy.names.map { .string($0) }),
            "time_source": .string(reading.timeSource.name), "device_status": .string(reading.deviceStatus.name),
        ]
    }

    /// A raw reading with its series, as `envmon export` writes it.
    package static func exportedReading(_ reading: StoredReading, unit: String) -> [String: JSONField] {
        [
            "ts": .time(reading.timestamp), "sensor": .string(reading.series.sensor),
            "metric": .string(reading.series.metric), "value": .number(reading.value), "unit": .string(unit),
            "quality": .integer(Int64(reading.quality.rawValue)), "time_source": .string(reading.timeSource.name),
            "device_status": .string(reading.deviceStatus.name),
        ]
    }

    /// A roll-up bucket reduced by `aggregate`, as `envmon query --every` shows it.
    package static func bucket(_ point: RollupPoint, aggregate: RollupAggregate) -> [String: JSONField] {
        [
            "ts": .time(point.bucket), "value": .number(aggregate.value(of: point)),
            "count": .integer(Int64(point.count)),
        ]
    }

    package static func latest(_ value: LatestValue, unit: String?) -> [String: JSONField] {
        [
            "site": .optional(value.site), "sensor": .string(value.series.sensor),
            "metric": .string(value.series.metric), "value": .number(value.value), "unit": .optional(unit),
            "quality": .integer(Int64(value.quality.rawValue)), "ts": .time(value.timestamp),
        ]
    }

    package static func reject(_ reject: RejectRecord) -> [String: JSONField] {
        [
            "received_at": .time(reject.receivedAt), "reason": .string(reject.reason.rawValue),
            "topic": .string(reject.topic), "detail": .string(reject.detail),
            "payload": .string(PayloadPreview.text(reject.payload, limit: 512)),
        ]
    }

    package static func sensor(_ sensor: SensorListing.Entry) -> [String: JSONField] {
        let delivery = sensor.delivery
        return [
            "sensor": .string(sensor.sensor), "site": .optional(sensor.site),
            "metrics": .array(sensor.metrics.map { .string($0) }), "last_seen": .time(sensor.lastSeen),
            "configured": .bool(sensor.configured),
            "last_seq": delivery?.lastSequence.map { .integer($0) } ?? .null,
            "seq_missing": .integer(delivery?.missing ?? 0), "seq_duplicates": .integer(delivery?.duplicates ?? 0),
            "seq_restarts": .integer(delivery?.restarts ?? 0),
            "catch_up_readings": .integer(delivery?.catchUpReadings ?? 0),
        ]
    }

    package static func outboxStatus(_ status: OutboxTargetStatus, now: Timestamp) -> [String: JSONField] {
        [
            "target": .string(status.target), "sent": .integer(Int64(status.sent)),
            "backlog": .integer(Int64(status.backlog)),
            "oldest_waiting_seconds": status.oldestWaitingSeconds(now: now).map { .integer($0) } ?? .null,
            "last_sent_at": .time(status.lastSentAt), "last_sent": .optional(status.lastSentName),
            "abandoned": .integer(Int64(status.abandoned)), "last_error": .optional(status.lastError),
            "last_attempt_at": .time(status.lastAttemptAt),
        ]
    }

    /// One file or webhook body in the outbox, as `envmon transmit list` shows it; with its exact
    /// bytes (base64) when `withBody`, for a check that what arrived is what was made.
    package static func outboxEntry(_ entry: OutboxEntry, withBody: Bool) -> [String: JSONField] {
        var fields: [String: JSONField] = [
            "id": .integer(entry.id), "target": .string(entry.target), "kind": .string(entry.kind.rawValue),
            "name": .string(entry.name), "station": .optional(entry.station), "interval_end": .time(entry.intervalEnd),
            "state": .string(entry.state.rawValue), "created_at": .time(entry.createdAt),
            "attempts": .integer(Int64(entry.attempts)), "next_attempt_at": .time(entry.nextAttemptAt),
            "sent_at": .time(entry.sentAt), "abandoned_at": .time(entry.abandonedAt),
            "last_error": .optional(entry.lastError), "bytes": .integer(Int64(entry.body.count)),
        ]
        if withBody { fields["body_base64"] = .string(Data(entry.body).base64EncodedString()) }
        return fields
    }
}

extension OutboxTargetStatus {
    package func oldestWaitingSeconds(now: Timestamp) -> Int64? {
        oldestPendingAt.map { (now.milliseconds - $0.milliseconds) / 1000 }
    }
}
