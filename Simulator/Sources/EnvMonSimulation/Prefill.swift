internal import EnvMonCore
internal import EnvMonStore

/// Fills an EnvMon database directly through `ReadingWriter` (the daemon's own writer, so
/// roll-ups, latest values and partitions are exactly what ingest would make): `series` series at
/// one reading per `every`, over `span` up to `end`. Sensors are `pf-NNN` with the first
/// `metricsPerSensor` (1–5) of five sea-water metrics each, recorded at site `prefill`, or with
/// `sites` > 0 at `pf-site-NN` round-robin (sensor k at site k mod `sites`). For the growth and
/// web benchmarks and the CLI query times; the daemon must not run meanwhile.
package struct Prefill {
    package static let metrics = ["water_temp", "salinity", "ph", "do", "turbidity"]

    package var path: String
    package var series: Int
    /// Index of the first series (to add series to an earlier prefill).
    package var firstSeries: Int
    package var every: Int64
    package var span: Int64
    package var end: Int64
    package var batch: Int
    package var metricsPerSensor: Int
    /// Sites the sensors are spread over; 0 puts them all at `prefill`.
    package var sites: Int

    package init(
        path: String, series: Int, firstSeries: Int = 0, every: Int64 = 60_000, span: Int64, end: Int64,
        batch: Int = 20_000, metricsPerSensor: Int = Prefill.metrics.count, sites: Int = 0
    ) {
        self.path = path
        self.series = series
        self.firstSeries = firstSeries
        self.every = max(1000, every)
        self.span = span
        self.end = end
        self.batch = max(100, batch)
        self.metricsPerSensor = min(Self.metrics.count, max(1, metricsPerSensor))
        self.sites = max(0, sites)
    }

    /// The sensor of series `index`.
    package func sensor(_ index: Int) -> String { "pf-" + Self.padded(index / metricsPerSensor, 3) }

    /// The metric of series `index`.
    package func metric(_ index: Int) -> String { Self.metrics[index % metricsPerSensor] }

    /// The site of series `index`'s sensor.
    package func site(_ index: Int) -> String {
        sites == 0 ? "prefill" : "pf-site-" + Self.padded((index / metricsPerSensor) % sites, 2)
    }

    private static func padded(_ number: Int, _ width: Int) -> String {
        let text = String(number)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    /// Writes everything; `progress` gets the readings written so far now and then.
    package func run(progress: (Int) -> Void = { _ in }) throws -> (readings: Int, seconds: Double) {
        let writer = try Store.open(try StoreLocation(path), for: .ingest).makeReadingWriter()
        let first = (end - span).floorDivided(by: every) * every
        let indices = firstSeries..<(firstSeries + series)
        let keys = indices.map { SeriesKey(sensor: sensor($0), metric: metric($0)) }
        var sites: [String: String] = [:]
        for index in indices { sites[sensor(index)] = site(index) }
        var batchReadings: [Reading] = []
        batchReadings.reserveCapacity(batch + keys.count)
        var written = 0
        var lastReport = 0
        let start = monotonicNanoseconds()
        var time = first
        var random = SplitMix64(seed: UInt64(firstSeries), stream: "prefill")
        while time < end {
            let hour = SimulationClock.localHour(time)
            for (offset, key) in keys.enumerated() {
                let level = 10 + Double((firstSeries + offset) % 7)
                let value = level + _sin(2 * Double.pi * hour / 24) + 0.05 * random.gaussian()
                batchReadings.append(
                    Reading(
                        series: key, timestamp: Timestamp(milliseconds: time),
                        value: (value * 1000).rounded() / 1000, quality: .pass))
            }
            time += every
            if batchReadings.count >= batch || time >= end {
                _ = try writer.write(IngestBatch(readings: batchReadings, sites: sites))
                written += batchReadings.count
                batchReadings.removeAll(keepingCapacity: true)
                if written - lastReport >= 1_000_000 {
                    lastReport = written
                    progress(written)
                }
            }
        }
        return (written, Double(monotonicNanoseconds() - start) / 1e9)
    }
}
