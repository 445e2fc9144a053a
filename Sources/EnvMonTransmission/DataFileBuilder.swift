package import EnvMonConfig
package import EnvMonCore
package import EnvMonStore

/// Makes a station's TT 10/2021 data file for one measurement interval from the store: per
/// parameter the interval's mean (or last) value from the 1-minute roll-ups, which hold only
/// readings that passed QC and were measured (not calibration, not a device error); when the probe
/// was not measuring in the interval, its raw readings with their status instead.
package struct DataFileBuilder: Sendable {
    package let configuration: EnvMonConfiguration
    let queries: any ReadingQueries

    package init(configuration: EnvMonConfiguration, queries: any ReadingQueries) {
        self.configuration = configuration
        self.queries = queries
    }

    var settings: TransmissionSettings { configuration.transmission }

    /// The measurement interval [start, end) whose end is `end`.
    package func interval(endingAt end: Timestamp) -> (start: Timestamp, end: Timestamp) {
        (end.adding(.zero - settings.interval), end)
    }

    /// The interval an instant falls in, by its end: `at` itself when it is an interval boundary.
    package func intervalEnd(containing at: Timestamp) -> Timestamp {
        let width = settings.interval.wholeMilliseconds
        let floored = at.floored(toMultipleOf: width)
        return floored == at ? at : floored.adding(milliseconds: width)
    }

    /// The file, or nil when the station has no reading in the interval.
    package func file(station: StationSettings, intervalEnd end: Timestamp) throws -> TT10DataFile? {
        let (start, _) = interval(endingAt: end)
        var lines: [TT10DataFile.Line] = []
        var done: Set<String> = []
        for sensorID in station.sensors {
            guard let sensor = configuration.sensor(sensorID) else { continue }
            for metric in sensor.metrics where !done.contains(metric) {
                guard let parameter = settings.parameters[metric],
                    let line = try line(
                        SeriesKey(sensor: sensorID, metric: metric), parameter: parameter, from: start, to: end)
                else { continue }
                done.insert(metric)
                lines.append(line)
            }
        }
        guard !lines.isEmpty else { return nil }
        return TT10DataFile(
            province: settings.province, facility: settings.facility, station: station.id,
            time: settings.timeLabel == .end ? end : start, lines: lines, decimals: settings.decimals)
    }

    private func line(
        _ series: SeriesKey, parameter: ParameterCode, from: Timestamp, to: Timestamp
    ) throws
        -> TT10DataFile.Line?
    {
        let raw = try queries.readings(of: series, from: from, to: to)
        guard let newest = raw.last else { return nil }
        let measured = try queries.rollups(of: series, resolution: .minute, from: from, to: to)
        let count = measured.reduce(0) { $0 + $1.count }
        if count > 0, newest.deviceStatus == .measuring {
            let value =
                switch settings.value {
                case .mean: measured.reduce(0) { $0 + $1.sum } / Double(count)
                case .last: measured.max { $0.lastTimestamp < $1.lastTimestamp }!.lastValue
                }
            return TT10DataFile.Line(code: parameter.code, value: value, unit: parameter.unit, status: .measuring)
        }
        // Not measuring at the interval's end (or nothing measured in it): what the probe gave,
        // with the status it gave it under; QC fails left out.
        let usable = raw.filter { $0.deviceStatus != .measuring && $0.quality != .fail && $0.quality != .missing }
        guard let last = usable.last else { return nil }
        let value =
            switch settings.value {
            case .mean: usable.reduce(0) { $0 + $1.value } / Double(usable.count)
            case .last: last.value
            }
        return TT10DataFile.Line(code: parameter.code, value: value, unit: parameter.unit, status: last.deviceStatus)
    }
}
