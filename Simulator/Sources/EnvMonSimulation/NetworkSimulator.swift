package import EnvMonConfig

/// One measured value, as sent: the text is what goes into the payload, `value` is exactly what
/// the daemon will parse from it.
package struct SimulatedValue: Sendable, Hashable {
    package var metric: String
    package var value: Double
    package var text: String
    package var decimals: Int

    package init(metric: String, value: Double, decimals: Int) {
        self.metric = metric
        self.decimals = decimals
        self.text = DecimalText.format(value, decimals: decimals)
        self.value = Double(self.text) ?? value
    }
}

/// Everything one sensor measured at one time.
package struct SimulatedReading: Sendable, Hashable {
    package var sensor: String
    package var site: String
    /// Epoch milliseconds (UTC).
    package var time: Int64
    package var values: [SimulatedValue]
    /// Per-sensor sequence number, as loggers count their records.
    package var sequence: Int64
}

/// The Cát Hải network in software: every configured sensor, each on its own interval, reading
/// the shared weather and its site's state. Deterministic for a seed and start time.
package struct NetworkSimulator: Sendable {
    struct Slot: Sendable {
        var model: SensorModel
        var interval: Int64
        var next: Int64
        var last: Int64?
        var sequence: Int64 = 0
    }

    package let configuration: EnvMonConfiguration
    package let seed: UInt64
    package let start: Int64
    package private(set) var weather: Weather
    private var slots: [Slot]
    /// `slots[i].next`, kept apart: finding the earliest slot is done once per reading, and
    /// reading a whole `Slot` out of the array copies its model (retains) in debug builds.
    private var due: [Int64]

    /// - storms: scheduled storms (e.g. from a scenario); unscheduled ones follow the
    ///   climatology scaled by `stormFrequency`.
    package init(
        configuration: EnvMonConfiguration, seed: UInt64, start: Int64, storms: [Weather.Storm] = [],
        stormFrequency: Double = 1
    ) {
        self.configuration = configuration
        self.seed = seed
        self.start = start
        weather = Weather(seed: seed, start: start, storms: storms, stormFrequency: stormFrequency)
        let sites = Dictionary(uniqueKeysWithValues: configuration.sites.map { ($0.id, SiteModel($0)) })
        slots = configuration.sensors.map { sensor in
            let interval = max(1000, sensor.interval.wholeMillisecondsValue)
            let site = sites[sensor.site] ?? SiteModel(id: sensor.site, kind: .island, longitude: nil)
            // Loggers sample on the grid of their interval (whole minutes for 1 min).
            let first = (start + interval - 1).floorDivided(by: interval) * interval
            return Slot(
                model: SensorModel(id: sensor.id, site: site, metrics: sensor.metrics, seed: seed), interval: interval,
                next: first)
        }
        due = slots.map(\.next)
    }

    package var sensorCount: Int { slots.count }

    /// The time of the next reading.
    package var nextTime: Int64 {
        var earliest = Int64.max
        for time in due where time < earliest { earliest = time }
        return earliest
    }

    /// The next reading in time order (sensors in config order at equal times).
    package mutating func next() -> SimulatedReading {
        var index = 0
        for candidate in due.indices where due[candidate] < due[index] { index = candidate }
        let time = due[index]
        weather.advance(to: time)
        let elapsed = slots[index].last.map { Double(time - $0) / 60_000 } ?? 1
        let measured = slots[index].model.measure(weather.snapshot, elapsedMinutes: elapsed)
        // Read through the array, not a copy of the model (its dictionaries cost retains).
        var values: [SimulatedValue] = []
        values.reserveCapacity(measured.count)
        for (metric, value) in measured {
            values.append(
                SimulatedValue(metric: metric, value: value, decimals: slots[index].model.decimals(of: metric)))
        }
        slots[index].last = time
        slots[index].next = time + slots[index].interval
        due[index] = slots[index].next
        slots[index].sequence += 1
        return SimulatedReading(
            sensor: slots[index].model.id, site: slots[index].model.site.id, time: time, values: values,
            sequence: slots[index].sequence)
    }

    /// All readings due at the next time.
    package mutating func nextTick() -> [SimulatedReading] {
        let time = nextTime
        var readings: [SimulatedReading] = []
        while nextTime == time { readings.append(next()) }
        return readings
    }
}

extension Duration {
    var wholeMillisecondsValue: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
