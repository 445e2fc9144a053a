/// Why an operator took a probe out of service (`envmon maintenance start --status`).
package enum MaintenanceKind: String, Hashable, Sendable, CaseIterable, Codable {
    case calibrating
    case maintenance
    case fault

    /// The status its readings are stored with. TT 10/2021 knows only measuring, calibrating and
    /// device error: planned servicing is not an error, so it is stored as calibrating (01).
    package var deviceStatus: DeviceStatus {
        switch self {
        case .calibrating, .maintenance: .calibrating
        case .fault: .deviceError
        }
    }
}

/// A time during which a sensor (or one metric of it) is not measuring: its readings are stored
/// and flagged with the window's status, its alerts are held, and the report counts the time as
/// maintenance, not missing.
package struct MaintenanceWindow: Hashable, Sendable {
    package var id: Int64
    package var sensor: String
    /// nil: every metric of the sensor.
    package var metric: String?
    package var kind: MaintenanceKind
    package var start: Timestamp
    /// nil: until `envmon maintenance end`.
    package var end: Timestamp?
    package var note: String?
    package var by: String?

    package init(
        id: Int64 = 0, sensor: String, metric: String? = nil, kind: MaintenanceKind, start: Timestamp,
        end: Timestamp? = nil, note: String? = nil, by: String? = nil
    ) {
        self.id = id
        self.sensor = sensor
        self.metric = metric
        self.kind = kind
        self.start = start
        self.end = end
        self.note = note
        self.by = by
    }

    /// Whether the window covers a reading of `metric` taken at `time`.
    package func covers(metric other: String, at time: Timestamp) -> Bool {
        (metric == nil || metric == other) && time >= start && end.map { time < $0 } ?? true
    }

    /// Whether the two windows cover some metric of the same sensor at the same time.
    package func overlaps(_ other: MaintenanceWindow) -> Bool {
        guard sensor == other.sensor, metric == nil || other.metric == nil || metric == other.metric else {
            return false
        }
        let endsAfterOtherStarts = end.map { $0 > other.start } ?? true
        let otherEndsAfterStart = other.end.map { $0 > start } ?? true
        return endsAfterOtherStarts && otherEndsAfterStart
    }

    /// Whether the window is open at `time` (started, not yet ended).
    package func isOpen(at time: Timestamp) -> Bool { time >= start && end.map { time < $0 } ?? true }

    /// "sensor" or "sensor/metric", for messages.
    package var scope: String { metric.map { "\(sensor)/\($0)" } ?? sensor }
}

/// The windows in force, looked up per reading on the ingest path: a dictionary by sensor, so a
/// sensor without windows costs one hash lookup.
package struct MaintenanceSchedule: Sendable {
    private var bySensor: [String: [MaintenanceWindow]] = [:]

    package init(_ windows: [MaintenanceWindow] = []) {
        for window in windows { bySensor[window.sensor, default: []].append(window) }
    }

    package var isEmpty: Bool { bySensor.isEmpty }
    package var windows: [MaintenanceWindow] { bySensor.values.flatMap { $0 }.sorted { $0.id < $1.id } }

    /// The status a reading of `series` taken at `time` is stored with: the covering window's,
    /// else measuring.
    package func status(of series: SeriesKey, at time: Timestamp) -> DeviceStatus {
        guard let windows = bySensor[series.sensor] else { return .measuring }
        for window in windows where window.covers(metric: series.metric, at: time) {
            return window.kind.deviceStatus
        }
        return .measuring
    }

    /// The window that would clash with `candidate`, if any.
    package func overlapping(_ candidate: MaintenanceWindow) -> MaintenanceWindow? {
        bySensor[candidate.sensor]?.first { $0.id != candidate.id && $0.overlaps(candidate) }
    }
}
