internal import EnvMonCore
internal import EnvMonStore

/// Time from a threshold-crossing reading to its alert notice, under background load: binds the
/// datagram socket the daemon sends its native-journal fields to (`envmond --journal-socket`), waits
/// until a low reading raises the rule (so the daemon is up and subscribed: no start-up race),
/// then publishes the background load stream at a fixed rate and, every `interval`, a reading that
/// crosses the rule's threshold one way or the other, alternately. Each crossing is matched to
/// the `raised`/`resolved` datagram of the rule in order. Latency is publish → datagram received,
/// so it includes the broker hop, the ingest batch (flush at N rows or T ms), the SQLite commit
/// and the alert-state save that precede the notice.
package struct AlertLatencyRun {
    package struct Settings: Sendable {
        package var broker: String
        package var database: String
        package var socketPath: String
        package var rule: String
        package var sensor: String
        package var site: String
        package var metric: String
        /// The value that raises the rule, and the one that resolves it.
        package var raiseValue: Double
        package var clearValue: Double
        package var crossings = 240
        package var interval: Duration = .milliseconds(250)
        package var background: LoadStream
        package var backgroundRate: Double = 10_000
        /// Background load before the first crossing, so the daemon is in its steady state.
        package var lead: Duration = .seconds(2)
        package var qos: UInt8 = 1
        package var window = 2000
        package var daemonPID: Int32?
        package var idleTimeout: Duration = .seconds(60)
        package var startTimeout: Duration = .seconds(60)

        package init(
            broker: String, database: String, socketPath: String, rule: String, sensor: String, site: String,
            metric: String, raiseValue: Double, clearValue: Double, background: LoadStream
        ) {
            self.broker = broker
            self.database = database
            self.socketPath = socketPath
            self.rule = rule
            self.sensor = sensor
            self.site = site
            self.metric = metric
            self.raiseValue = raiseValue
            self.clearValue = clearValue
            self.background = background
        }
    }

    package let settings: Settings

    package init(settings: Settings) { self.settings = settings }

    /// Readings needed for `crossings` at `interval` plus the lead and a second of tail.
    package static func backgroundCount(rate: Double, crossings: Int, interval: Duration, lead: Duration) -> Int {
        let seconds = Double(crossings) * Double(interval.nanoseconds) / 1e9 + Double(lead.nanoseconds) / 1e9 + 1
        return Int((rate * seconds).rounded(.up))
    }

    package func run() throws -> AlertLatencyReport {
        // Bound first: the script starts the daemon once this socket exists.
        let journal = try JournalDatagramSocket(path: settings.socketPath, rule: settings.rule)
        defer { journal.stop() }
        Diagnostics.note("envmon-sim alert-latency: listening on \(settings.socketPath)")
        let queries = try LoadRun.waitForDatabase(settings.database, timeout: settings.startTimeout)
        var crossings = try CrossingPublisher(settings: settings)
        defer { crossings.stop() }
        try crossings.waitUntilConnected()
        try warmUp(journal: journal, crossings: &crossings)
        let baseline = journal.events.value.count

        let before = try LoadRun.counters(queries)
        let background = try BackgroundLoad(settings: settings)
        defer { background.stop() }
        background.start()
        sleepNanoseconds(settings.lead.nanoseconds)

        let window = try publishCrossings(&crossings, background: background)
        waitForNotices(journal, after: baseline, count: window.published.count)
        let storage = try waitUntilStored(queries, background: background, crossings: window, before: before)
        let events = Array(journal.events.value.dropFirst(baseline))
        return report(window: window, events: events, background: background, storage: storage)
    }

    /// The timed part: when each crossing went, and how much background went meanwhile.
    struct CrossingWindow {
        /// Monotonic ns of each crossing's publish (0: not sent, stopped by a signal).
        var published: [Int64]
        /// The sensor times of the first and last crossing readings.
        var firstTime: Int64
        var lastTime: Int64
        var seconds: Double
        var backgroundSent: Int
    }

    /// What the daemon's database holds of the run afterwards.
    struct Storage {
        var backgroundSent: Int
        var backgroundStored: Int
        var duplicates: Int
        var crossingsStored: Int
    }

    /// Publishes the raising value until the rule is raised, then the clearing one until it is
    /// resolved: proves the daemon is subscribed and the socket wired before anything is timed.
    private func warmUp(journal: JournalDatagramSocket, crossings: inout CrossingPublisher) throws {
        let deadline = monotonicNanoseconds() + settings.startTimeout.nanoseconds
        let phases: [(value: Double, done: ([JournalDatagramSocket.Event]) -> Bool)] = [
            (settings.raiseValue, { $0.contains { $0.notice == "raised" } }),
            (settings.clearValue, { $0.last?.notice == "resolved" }),
        ]
        for phase in phases {
            while !phase.done(journal.events.value) {
                if StopSignal.requested { return }
                if monotonicNanoseconds() > deadline {
                    throw SimulatorError(
                        "rule \(settings.rule) was not raised and resolved on \(settings.socketPath) within "
                            + "\(settings.startTimeout): is envmond running with --journal-socket and the rule?")
                }
                _ = try crossings.publish(phase.value)
                sleepNanoseconds(250_000_000)
            }
        }
    }

    /// The crossings, one every `interval`: even ones raise, odd ones resolve; an even count
    /// leaves the rule clear.
    private func publishCrossings(
        _ crossings: inout CrossingPublisher, background: BackgroundLoad
    ) throws -> CrossingWindow {
        let count = settings.crossings + settings.crossings % 2
        var published = [Int64](repeating: 0, count: count)
        let firstTime = crossings.lastTime + 1
        let start = monotonicNanoseconds()
        let sentAtStart = background.sent
        for index in 0..<count {
            if StopSignal.requested { break }
            let due = start + Int64(index) * settings.interval.nanoseconds
            sleepNanoseconds(due - monotonicNanoseconds())
            published[index] = try crossings.publish(index % 2 == 0 ? settings.raiseValue : settings.clearValue)
        }
        return CrossingWindow(
            published: published, firstTime: firstTime, lastTime: crossings.lastTime,
            seconds: max(1e-9, Double(monotonicNanoseconds() - start) / 1e9),
            backgroundSent: background.sent - sentAtStart)
    }

    /// Notices still on their way: up to 10 s for one per crossing.
    private func waitForNotices(_ journal: JournalDatagramSocket, after baseline: Int, count: Int) {
        let deadline = monotonicNanoseconds() + 10_000_000_000
        while journal.events.value.count - baseline < count, monotonicNanoseconds() < deadline, !StopSignal.requested {
            sleepNanoseconds(10_000_000)
        }
    }

    /// Everything the background published must be stored, as in the load mode: waits until it
    /// is, or nothing new is for `idleTimeout`.
    private func waitUntilStored(
        _ queries: any ReadingQueries, background: BackgroundLoad, crossings window: CrossingWindow,
        before: (stored: Int64, duplicates: Int64)
    ) throws -> Storage {
        background.finish()
        let total = background.sent
        var stored = 0
        var lastProgress = monotonicNanoseconds()
        while !StopSignal.requested {
            let now = Int(try LoadRun.counters(queries).stored - before.stored)
            if now > stored {
                stored = now
                lastProgress = monotonicNanoseconds()
            }
            // Crossing readings count too once the warm-up is past; the exact count is below.
            if stored >= total + window.published.count { break }
            if monotonicNanoseconds() - lastProgress > settings.idleTimeout.nanoseconds { break }
            sleepNanoseconds(20_000_000)
        }
        let exact = try LoadRun.storedReadings(queries, stream: background.stream)
        let after = try LoadRun.counters(queries)
        let crossingsStored =
            (try? queries.readings(
                of: SeriesKey(sensor: settings.sensor, metric: settings.metric),
                from: Timestamp(milliseconds: window.firstTime), to: Timestamp(milliseconds: window.lastTime + 1),
                limit: 1_000_000))?.count ?? 0
        return Storage(
            backgroundSent: total, backgroundStored: exact,
            duplicates: Int(after.duplicates - before.duplicates), crossingsStored: crossingsStored)
    }

    /// Latencies of the crossings matched in order: crossing 2k ↔ the k-th raised after the
    /// warm-up, 2k+1 ↔ the k-th resolved.
    struct Matching {
        var all: [Double] = []
        var raised: [Double] = []
        var resolved: [Double] = []
        var missing = 0
        var unexpected = 0
    }

    static func match(_ published: [Int64], events: [JournalDatagramSocket.Event]) -> Matching {
        let raised = events.filter { $0.notice == "raised" }
        let resolved = events.filter { $0.notice == "resolved" }
        let half = published.count / 2
        var matching = Matching()
        matching.unexpected =
            events.count - raised.count - resolved.count + max(0, raised.count - half) + max(0, resolved.count - half)
        for index in published.indices where published[index] > 0 {
            let list = index % 2 == 0 ? raised : resolved
            guard index / 2 < list.count else {
                matching.missing += 1
                continue
            }
            let latency = Double(list[index / 2].arrival - published[index]) / 1e6
            matching.all.append(latency)
            if index % 2 == 0 { matching.raised.append(latency) } else { matching.resolved.append(latency) }
        }
        return matching
    }

    private func report(
        window: CrossingWindow, events: [JournalDatagramSocket.Event], background: BackgroundLoad, storage: Storage
    ) -> AlertLatencyReport {
        let matching = Self.match(window.published, events: events)
        var report = AlertLatencyReport(
            rule: settings.rule, sensor: settings.sensor, crossings: window.published.filter { $0 > 0 }.count,
            matched: matching.all.count, missing: matching.missing, unexpected: matching.unexpected,
            crossingsStored: storage.crossingsStored, latencyP50Milliseconds: Self.percentile(matching.all, 50),
            latencyP99Milliseconds: Self.percentile(matching.all, 99), latencyMaxMilliseconds: matching.all.max(),
            raisedP50Milliseconds: Self.percentile(matching.raised, 50),
            resolvedP50Milliseconds: Self.percentile(matching.resolved, 50),
            intervalMilliseconds: Double(settings.interval.nanoseconds) / 1e6,
            backgroundTargetRate: settings.backgroundRate,
            backgroundRate: Double(window.backgroundSent) / window.seconds,
            backgroundReadings: storage.backgroundSent, backgroundStored: storage.backgroundStored,
            backgroundLost: storage.backgroundSent - storage.backgroundStored, duplicates: storage.duplicates)
        if let pid = settings.daemonPID, let memory = ProcessMemory.status(pid: pid) {
            report.daemonPeakRSSMiB = Double(memory.peakKiB) / 1024
        }
        if events.contains(where: { $0.value != nil && $0.notice == "raised" && $0.value != settings.raiseValue }) {
            report.note = "a raised notice carried another value than \(settings.raiseValue): matching is off"
        }
        if let problem = background.failure.value { report.note = "background publisher failed: \(problem)" }
        if StopSignal.requested { report.note = "stopped by signal" }
        return report
    }

    static func percentile(_ values: [Double], _ percent: Int) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, sorted.count * percent / 100)]
    }
}
