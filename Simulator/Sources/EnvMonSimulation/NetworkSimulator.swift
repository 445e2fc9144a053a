public import EnvMonConfig

/// One measured value, as sent: the text is what goes into the payload, `value` is exactly what
/// the daemon will parse from it.
public struct SimulatedValue: Sendable, Hashable {
    public var metric: String
    public var value: Double
    public var text: String
    public var decimals: Int

    public init(metric: String, value: Double, decimals: Int) {
        self.metric = metric
        self.decimals = decimals
        self.text = DecimalText.format(value, decimals: decimals)
        self.value = Double(self.text) ?? value
    }
}

/// Everything one sensor measured at one time.
public struct SimulatedReading: Sendable, Hashable {
    public var sensor: String
    public var site: String
    /// Epoch milliseconds (UTC).
    public var time: Int64
    public var values: [SimulatedValue]
    /// Per-sensor sequence number, as loggers count their records.
    public var sequence: Int64
}

/// The Cát Hải network in software: every configured sensor, each on its own interval, reading
/// the shared weather and its site's state. Deterministic for a seed and start time.
public struct NetworkSimulator: Sendable {
    struct Slot: Sendable {
        var model: SensorModel
        var interval: Int64
        var next: Int64
        var last: Int64?
        var sequence: Int64 = 0
    }

    public let configuration: EnvMonConfiguration
    public let seed: UInt64
    public let start: Int64
    public private(set) var weather: Weather
    private var slots: [Slot]
    /// `slots[i].next`, kept apart: finding the earliest slot is done once per reading, and
    /// reading a whole `Slot` out of the array copies its model (retains) in debug builds.
    private var due: [Int64]

    /// - storms: scheduled storms (e.g. from a scenario); unscheduled ones follow the
    ///   climatology scaled by `stormFrequency`.
    public init(
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

    public var sensorCount: Int { slots.count }

    /// The time of the next reading.
    public var nextTime: Int64 {
        var earliest = Int64.max
        for time in due where time < earliest { earliest = time }
        return earliest
    }

    /// The next reading in time order (sensors in config order at equal times).
    public mutating func next() -> SimulatedReading {
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
    public mutating func nextTick() -> [SimulatedReading] {
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
