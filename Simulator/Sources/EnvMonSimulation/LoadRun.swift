internal import EnvMonCore
internal import EnvMonStore
internal import Foundation
import Synchronization

/// What a load run measured.
package struct LoadReport: Codable, Sendable {
    package var mode: String
    package var qos: Int
    package var pack: Int
    package var series: Int
    package var messages: Int
    package var readings: Int
    package var publishSeconds: Double
    package var publishRate: Double
    /// Readings per second from the first publish until the last reading was visible (or received).
    package var storedRate: Double
    package var storedSeconds: Double
    package var stored: Int
    /// Messages the broker acknowledged to the load generator (QoS ≥ 1; all sent for QoS 0).
    package var acknowledged: Int?
    package var lost: Int
    package var duplicates: Int
    package var latencyP50Milliseconds: Double?
    package var latencyP99Milliseconds: Double?
    package var latencyMaxMilliseconds: Double?
    package var latencySamples: Int
    package var daemonPeakRSSMiB: Double?
    package var daemonRSSMiB: Double?
    /// The daemon's CPU time (user + system, /proc/PID/stat) from the first publish until the last
    /// reading was visible, and that per reading stored.
    package var daemonCPUSeconds: Double?
    package var daemonCPUMicrosecondsPerReading: Double?
    /// Untimed runs: readings stored more than once (rows − distinct values); must be 0.
    package var storedTwice: Int?
    package var note: String?

    package var table: String {
        var lines = [
            "mode            \(mode) (QoS \(qos), \(pack == 1 ? "1 reading per message" : "SenML packs of \(pack)"), \(series) series)",
            "published       \(messages) messages, \(readings) readings in \(format(publishSeconds, 2)) s = \(format(publishRate, 0)) readings/s",
            "stored          \(stored) readings in \(format(storedSeconds, 2)) s = \(format(storedRate, 0)) readings/s",
            "acknowledged    \(acknowledged.map(String.init) ?? "-") messages (by the broker)",
            "stored twice    \(storedTwice.map(String.init) ?? "-") (untimed runs)",
            "lost            \(lost)",
            "duplicates      \(duplicates)",
        ]
        if let p50 = latencyP50Milliseconds, let p99 = latencyP99Milliseconds {
            lines.append(
                "latency         p50 \(format(p50, 1)) ms, p99 \(format(p99, 1)) ms, max \(format(latencyMaxMilliseconds ?? 0, 1)) ms (\(latencySamples) samples)"
            )
        }
        if let peak = daemonPeakRSSMiB {
            lines.append("daemon RSS      peak \(format(peak, 1)) MiB, now \(format(daemonRSSMiB ?? 0, 1)) MiB")
        }
        if let cpu = daemonCPUSeconds {
            lines.append(
                "daemon CPU      \(format(cpu, 2)) s = \(format(daemonCPUMicrosecondsPerReading ?? 0, 1)) µs per stored reading"
            )
        }
        if let note { lines.append("note            \(note)") }
        return lines.joined(separator: "\n") + "\n"
    }

    package func json() -> String { JSONLine.encode(self) }
}

func format(_ value: Double, _ decimals: Int) -> String { DecimalText.format(value, decimals: decimals) }

/// Publishes a `LoadStream` at a target rate (0 = as fast as the in-flight window allows) and
/// waits until every reading is visible in the daemon's database, measuring the stored rate,
/// end-to-end latency on a sample of sequence numbers, losses and duplicates.
package struct LoadRun {
    package struct Settings: Sendable {
        package var broker: String
        package var database: String
        package var stream: LoadStream
        package var qos: UInt8 = 1
        package var rate: Double = 0
        package var window = 2000
        package var daemonPID: Int32?
        package var latencySamples = 2000
        /// Give up when nothing new was stored for this long.
        package var idleTimeout: Duration = .seconds(60)

        package init(broker: String, database: String, stream: LoadStream) {
            self.broker = broker
            self.database = database
            self.stream = stream
        }
    }

    package let settings: Settings

    package init(settings: Settings) { self.settings = settings }

    /// Samples: message indices whose publish → visible time is measured.
    final class Samples: Sendable {
        let indices: [Int]
        /// Monotonic ns of publish and of first sight in the database; 0 = not yet.
        let published: Locked<[Int64]>
        let visible: Locked<[Int64]>

        init(messages: Int, wanted: Int) {
            let stride = max(1, messages / max(1, wanted))
            indices = Array(Swift.stride(from: 0, to: messages, by: stride))
            published = Locked(Array(repeating: 0, count: indices.count))
            visible = Locked(Array(repeating: 0, count: indices.count))
        }
    }

    final class Flag: Sendable {
        private let atomic = Atomic<Bool>(false)
        var isSet: Bool { atomic.load(ordering: .relaxed) }
        func set() { atomic.store(true, ordering: .relaxed) }
    }

    package func run() throws -> LoadReport {
        let stream = settings.stream
        let messages = stream.messageCount
        // Untimed readings cannot be looked up by their time: no latency samples.
        let samples = Samples(messages: messages, wanted: stream.untimed ? 0 : settings.latencySamples)
        let sampleSlot = Dictionary(uniqueKeysWithValues: samples.indices.enumerated().map { ($1, $0) })

        let queries = try Self.waitForDatabase(settings.database)
        let before = try Self.counters(queries)
        let publisher = try Publisher(broker: settings.broker, window: settings.window)
        defer { publisher.stop() }
        try publisher.waitUntilConnected()

        let done = Flag()
        let poller = Thread { [settings] in
            Self.pollLatency(queries: queries, stream: settings.stream, samples: samples, done: done)
        }
        poller.start()
        defer { done.set() }

        let cpuBefore = settings.daemonPID.flatMap { ProcessCPU.seconds(pid: $0) }
        let start = monotonicNanoseconds()
        for index in 0..<messages {
            if StopSignal.requested { break }
            if settings.rate > 0 {
                let due = start + Int64(Double(index * stream.pack) / settings.rate * 1e9)
                let wait = due - monotonicNanoseconds()
                if wait > 50_000 { sleepNanoseconds(wait) }
            }
            let message = stream.message(index)
            if let slot = sampleSlot[index] {
                samples.published.update { $0[slot] = monotonicNanoseconds() }
            }
            try publisher.publish(topic: message.topic, payload: message.payload, qos: settings.qos)
        }
        let published = monotonicNanoseconds()
        publisher.drain(timeout: .seconds(120))
        let acknowledged = publisher.completed

        // Wait until everything is stored, or nothing moves for idleTimeout.
        var stored = 0
        var lastProgress = monotonicNanoseconds()
        var finished = monotonicNanoseconds()
        while !StopSignal.requested {
            let now = try Self.counters(queries)
            let current = Int(now.stored - before.stored)
            if current > stored {
                stored = current
                lastProgress = monotonicNanoseconds()
                finished = lastProgress
            }
            // The counter also counts a reading stored twice (an untimed resend after a broker
            // restart): an untimed run is done when every value is there, not when the counter
            // says as many rows (stopping then read the last batch as lost).
            if stored >= stream.count {
                guard stream.untimed else { break }
                if try Self.storedUntimed(queries, stream: stream).distinct >= stream.count { break }
            }
            if monotonicNanoseconds() - lastProgress > Int64(settings.idleTimeout.nanoseconds) { break }
            sleepNanoseconds(20_000_000)
        }
        let cpuAfter = settings.daemonPID.flatMap { ProcessCPU.seconds(pid: $0) }
        done.set()
        while !poller.isFinished { sleepNanoseconds(1_000_000) }

        let after = try Self.counters(queries)
        let exact = try Self.storedReadings(queries, stream: stream)
        var report = LoadReport(
            mode: "envmond", qos: Int(settings.qos), pack: stream.pack, series: stream.series, messages: messages,
            readings: stream.count, publishSeconds: Double(published - start) / 1e9,
            publishRate: Double(stream.count) / max(1e-9, Double(published - start) / 1e9),
            storedRate: Double(exact) / max(1e-9, Double(finished - start) / 1e9),
            storedSeconds: Double(finished - start) / 1e9, stored: exact, lost: stream.count - exact,
            duplicates: Int(after.duplicates - before.duplicates), latencySamples: 0)
        report.acknowledged = acknowledged
        if stream.untimed {
            let untimed = try Self.storedUntimed(queries, stream: stream)
            report.storedTwice = untimed.rows - untimed.distinct
        }
        var latencies: [Double] = []
        let sentTimes = samples.published.value
        let seenTimes = samples.visible.value
        for slot in samples.indices.indices {
            let sent = sentTimes[slot]
            let seen = seenTimes[slot]
            if sent > 0, seen > 0 { latencies.append(Double(max(0, seen - sent)) / 1e6) }
        }
        latencies.sort()
        if !latencies.isEmpty {
            report.latencySamples = latencies.count
            report.latencyP50Milliseconds = latencies[latencies.count / 2]
            report.latencyP99Milliseconds = latencies[min(latencies.count - 1, latencies.count * 99 / 100)]
            report.latencyMaxMilliseconds = latencies.last
        }
        if let pid = settings.daemonPID, let memory = ProcessMemory.status(pid: pid) {
            report.daemonPeakRSSMiB = Double(memory.peakKiB) / 1024
            report.daemonRSSMiB = Double(memory.currentKiB) / 1024
        }
        if let cpuBefore, let cpuAfter {
            report.daemonCPUSeconds = cpuAfter - cpuBefore
            report.daemonCPUMicrosecondsPerReading = (cpuAfter - cpuBefore) / Double(max(1, exact)) * 1e6
        }
        if StopSignal.requested { report.note = "stopped by signal" }
        return report
    }

    /// The daemon's database, read-only, once it exists (the daemon may still be starting): a
    /// SQLite file once it is there, a PostgreSQL database once the daemon migrated it.
    static func waitForDatabase(_ path: String, timeout: Duration = .seconds(30)) throws -> any ReadingQueries {
        let deadline = monotonicNanoseconds() + timeout.nanoseconds
        let location = try StoreLocation(path)
        while true {
            // Opening a missing SQLite file for reading would fail anyway; checked first so that
            // no empty file is left behind.
            let present = location.sqlitePath.map { FileManager.default.fileExists(atPath: $0) } ?? true
            if present, let store = try? Store.open(location, for: .read) {
                return store.readings
            }
            if monotonicNanoseconds() > deadline {
                throw SimulatorError("\(path): no EnvMon database (is envmond running with this --db?)")
            }
            sleepNanoseconds(100_000_000)
        }
    }

    static func counters(_ queries: any ReadingQueries) throws -> (stored: Int64, duplicates: Int64) {
        let counters = try queries.counters()
        return (counters["readings_stored"] ?? 0, counters["duplicates"] ?? 0)
    }

    /// Exactly how many of the run's readings are stored: rows of its series in its time range.
    static func storedReadings(_ queries: any ReadingQueries, stream: LoadStream) throws -> Int {
        if stream.untimed { return try storedUntimed(queries, stream: stream).distinct }
        return try queries.storedReadings(
            sensorsPrefixed: stream.sensorPrefix, from: Timestamp(milliseconds: stream.base),
            to: Timestamp(milliseconds: stream.endTime), distinctValues: false
        ).rows
    }

    /// An untimed run's readings: rows of its series, and distinct values among them (each
    /// reading's value stands for its sequence number, so rows − distinct were stored twice).
    static func storedUntimed(_ queries: any ReadingQueries, stream: LoadStream) throws -> (rows: Int, distinct: Int) {
        let tally = try queries.storedReadings(
            sensorsPrefixed: stream.sensorPrefix, from: Timestamp(milliseconds: stream.base),
            to: Timestamp(milliseconds: stream.endTime), distinctValues: true)
        return (tally.rows, tally.distinctValues ?? 0)
    }

    /// Polls the sampled readings in order with bounded effort: a few lookups every 10 ms.
    static func pollLatency(queries: any ReadingQueries, stream: LoadStream, samples: Samples, done: Flag) {
        var next = 0
        while next < samples.indices.count {
            let finalRound = done.isSet
            let published = samples.published.value
            var seen = samples.visible.value
            var misses = 0
            var slot = next
            while slot < samples.indices.count, misses < 3 {
                if seen[slot] != 0 {
                    if slot == next { next += 1 }
                    slot += 1
                    continue
                }
                guard published[slot] != 0 else { break }
                let sequence = samples.indices[slot] * stream.pack
                let series = SeriesKey(sensor: stream.sensor(stream.seriesIndex(sequence)), metric: stream.metric)
                let time = Timestamp(milliseconds: stream.time(sequence))
                let found =
                    ((try? queries.readings(of: series, from: time, to: time.adding(milliseconds: 1), limit: 1))?
                        .isEmpty == false)
                if found {
                    let now = monotonicNanoseconds()
                    seen[slot] = now
                    samples.visible.update { $0[slot] = now }
                    if slot == next { next += 1 }
                } else {
                    misses += 1
                }
                slot += 1
            }
            if finalRound { return }
            sleepNanoseconds(10_000_000)
        }
    }
}
