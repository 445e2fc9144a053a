/// Turns a decoded sample into a validated one (canonical metric id, canonical unit, checked
/// time), or says why it must be rejected.
///
/// Checks, in order (the first failure is the reason recorded):
/// 1. sensor id syntax → `undecodable` ("invalid sensor id"): a malformed id is a broken payload,
///    not an unknown but plausible sensor, and must not reach storage or topics;
/// 2. unknown sensor, only when `rejectUnknownSensors` → `unknown_sensor`;
/// 3. metric: the sensor's own aliases first, then catalogue id/alias → `unknown_metric`;
/// 4. value not finite → `not_finite` (before conversion: NaN in any unit is the real problem);
/// 5. unit → `unit_mismatch`, naming both units;
/// 6. converted value not finite (e.g. an overflow) → `not_finite`;
/// 7. time beyond `receivedAt + maximumFutureSkew` or before `receivedAt - maximumAge` →
///    `bad_timestamp`.
package struct ReadingValidator: Sendable {
    package var catalogue: MetricCatalogue
    package var sensors: [String: SensorProfile]
    package var rejectUnknownSensors: Bool
    /// Sensor clocks drift and NTP-less loggers run fast; 5 minutes tolerates that while a clock
    /// set to a wrong day or year is caught.
    package var maximumFutureSkew: Duration
    /// A logger back-filling after a link outage sends old readings; 7 days covers a week-long
    /// outage until a field visit, while a clock reset to 1970/2000 is caught. Older data would
    /// also land in raw partitions retention may already have dropped.
    package var maximumAge: Duration

    package static let defaultMaximumFutureSkew: Duration = .seconds(5 * 60)
    package static let defaultMaximumAge: Duration = .seconds(7 * 24 * 3600)
    package static let maximumSensorIDLength = 64

    package init(
        catalogue: MetricCatalogue, sensors: [String: SensorProfile], rejectUnknownSensors: Bool = false,
        maximumFutureSkew: Duration = defaultMaximumFutureSkew, maximumAge: Duration = defaultMaximumAge
    ) {
        self.catalogue = catalogue
        self.sensors = sensors
        self.rejectUnknownSensors = rejectUnknownSensors
        self.maximumFutureSkew = maximumFutureSkew
        self.maximumAge = maximumAge
    }

    package func validate(_ sample: DecodedSample, receivedAt: Timestamp) -> Result<ValidatedSample, Rejection> {
        if let problem = Self.sensorIDProblem(sample.sensor) {
            return .failure(
                Rejection(.undecodable, "invalid sensor id \(detailQuoted(sample.sensor, limit: 80)): \(problem)"))
        }
        let profile = sensors[sample.sensor]
        if profile == nil, rejectUnknownSensors {
            return .failure(
                Rejection(.unknownSensor, "sensor \(detailQuoted(sample.sensor)) is not in the configuration"))
        }
        // A sensor the config does not know takes its site from the topic or payload: that text
        // becomes a site in `envmon sensors` and the report, so it must be an id like the config's.
        if profile == nil, let site = sample.site, let problem = Self.sensorIDProblem(site) {
            return .failure(Rejection(.undecodable, "invalid site id \(detailQuoted(site, limit: 80)): \(problem)"))
        }

        guard let definition = metricDefinition(named: sample.metric, profile: profile) else {
            return .failure(
                Rejection(
                    .unknownMetric,
                    "metric \(detailQuoted(sample.metric)) of sensor \(detailQuoted(sample.sensor)) is unknown"))
        }
        let series = SeriesKey(sensor: sample.sensor, metric: definition.id)

        guard sample.value.isFinite else {
            return .failure(Rejection(.notFinite, "\(series): value \(sample.value) is not finite"))
        }
        guard let conversion = UnitConversion.conversion(from: sample.unit, to: definition) else {
            return .failure(
                Rejection(
                    .unitMismatch,
                    "\(series): unit \(detailQuoted(sample.unit ?? "")) cannot be converted to \(detailQuoted(definition.unit)) "
                        + "(\(definition.dimension.rawValue))"))
        }
        let value = conversion.apply(sample.value)
        // No environmental quantity comes near 1e15 in its unit; beyond that a finite value is a
        // broken sensor or an attack, and sums of a few of them would overflow the roll-ups to inf.
        if value.isFinite, abs(value) > Self.maximumMagnitude {
            return .failure(
                Rejection(.notFinite, "\(series): value \(sample.value) is beyond ±1e15, not a measurement"))
        }
        guard value.isFinite else {
            return .failure(
                Rejection(
                    .notFinite,
                    "\(series): value \(sample.value) \(sample.unit ?? "") is not finite in \(definition.unit)"))
        }

        let latest = receivedAt.adding(maximumFutureSkew)
        guard sample.timestamp <= latest else {
            return .failure(
                Rejection(
                    .badTimestamp,
                    "\(series): time \(sample.timestamp) is \(Self.describe(sample.timestamp.milliseconds - receivedAt.milliseconds)) "
                        + "after the receive time \(receivedAt) (limit \(Self.describe(maximumFutureSkew.wholeMilliseconds)))"
                ))
        }
        let earliest = receivedAt.adding(.zero - maximumAge)
        guard sample.timestamp >= earliest else {
            return .failure(
                Rejection(
                    .badTimestamp,
                    "\(series): time \(sample.timestamp) is \(Self.describe(receivedAt.milliseconds - sample.timestamp.milliseconds)) "
                        + "before the receive time \(receivedAt) (limit \(Self.describe(maximumAge.wholeMilliseconds)))"
                ))
        }

        return .success(
            ValidatedSample(
                series: series, site: profile?.site ?? sample.site, timestamp: sample.timestamp, value: value,
                sequence: sample.sequence, timeSource: sample.timeSource, reportedStatus: sample.reportedStatus))
    }

    /// The metric a sensor means by `name`: its own aliases (keys lower-case) first, so a probe's
    /// `temp` can mean `water_temp` while a weather station's `temp` means `air_temp`.
    package func metricDefinition(named name: String, profile: SensorProfile?) -> MetricDefinition? {
        if let profile, let target = profile.metricAliases[name] ?? profile.metricAliases[name.lowercased()] {
            return catalogue.definition(named: target)
        }
        return catalogue.definition(named: name)
    }

    /// Why `id` is not a usable sensor id, or nil: 1-64 characters of `A-Z a-z 0-9 - _ . :`,
    /// starting with a letter or digit (SenML's name rule without `/`, which would split topics).
    /// The largest magnitude accepted as a measurement, in the metric's unit.
    package static let maximumMagnitude = 1e15

    package static func sensorIDProblem(_ id: String) -> String? {
        guard !id.isEmpty else { return "empty" }
        guard id.utf8.count <= maximumSensorIDLength else { return "longer than \(maximumSensorIDLength) characters" }
        var first = true
        for byte in id.utf8 {
            let alphanumeric =
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            if first, !alphanumeric { return "must start with a letter or digit" }
            first = false
            if !alphanumeric, byte != UInt8(ascii: "-"), byte != UInt8(ascii: "_"), byte != UInt8(ascii: "."),
                byte != UInt8(ascii: ":")
            {
                return "only letters, digits and - _ . : are allowed"
            }
        }
        return nil
    }

    /// `90000` → `1 min 30 s`-style text for messages.
    static func describe(_ milliseconds: Int64) -> String {
        let seconds = abs(milliseconds) / 1000
        if seconds >= 86400 { return "\(seconds / 86400) d \(seconds % 86400 / 3600) h" }
        if seconds >= 3600 { return "\(seconds / 3600) h \(seconds % 3600 / 60) min" }
        if seconds >= 60 { return "\(seconds / 60) min \(seconds % 60) s" }
        return "\(seconds) s"
    }
}
