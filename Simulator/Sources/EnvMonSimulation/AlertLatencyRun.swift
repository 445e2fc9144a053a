internal import EnvMonCore
internal import EnvMonStore
internal import Foundation
import Glibc
import Synchronization

/// What an alert-latency run measured.
public struct AlertLatencyReport: Codable, Sendable {
    public var rule: String
    public var sensor: String
    public var crossings: Int
    /// Crossings whose `raised`/`resolved` datagram arrived (matched by rule, notice and order).
    public var matched: Int
    public var missing: Int
    /// Notices of the rule that were not a raised/resolved in the expected order (flapping, extra).
    public var unexpected: Int
    /// Crossing readings found in the daemon's database afterwards.
    public var crossingsStored: Int
    public var latencyP50Milliseconds: Double?
    public var latencyP99Milliseconds: Double?
    public var latencyMaxMilliseconds: Double?
    public var raisedP50Milliseconds: Double?
    public var resolvedP50Milliseconds: Double?
    public var intervalMilliseconds: Double
    public var backgroundTargetRate: Double
    /// Background readings published per second while the crossings ran.
    public var backgroundRate: Double
    public var backgroundReadings: Int
    public var backgroundStored: Int
    public var backgroundLost: Int
    public var duplicates: Int
    public var daemonPeakRSSMiB: Double?
    public var note: String?

    public var table: String {
        func ms(_ value: Double?) -> String { value.map { format($0, 1) } ?? "-" }
        var lines = [
            "rule            \(rule) on \(sensor): \(crossings) crossings every \(format(intervalMilliseconds, 0)) ms",
            "matched         \(matched) raised/resolved datagrams, missing \(missing), unexpected \(unexpected)",
            "latency         p50 \(ms(latencyP50Milliseconds)) ms, p99 \(ms(latencyP99Milliseconds)) ms, "
                + "max \(ms(latencyMaxMilliseconds)) ms (publish → journal datagram)",
            "  by notice     raised p50 \(ms(raisedP50Milliseconds)) ms, resolved p50 \(ms(resolvedP50Milliseconds)) ms",
            "background      \(format(backgroundRate, 0)) readings/s during the crossings (target \(format(backgroundTargetRate, 0)))",
            "stored          \(backgroundStored) of \(backgroundReadings) background readings, lost \(backgroundLost), "
                + "duplicates \(duplicates); crossing readings stored \(crossingsStored) of \(crossings)",
        ]
        if let peak = daemonPeakRSSMiB { lines.append("daemon RSS      peak \(format(peak, 1)) MiB") }
        if let note { lines.append("note            \(note)") }
        return lines.joined(separator: "\n") + "\n"
    }

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self) + "\n"
    }
}

/// Time from a threshold-crossing reading to its alert notice, under background load: binds the
/// datagram socket the daemon sends its native-journal fields to (`ENVMON_JOURNAL_SOCKET`), waits
/// until a low reading raises the rule (so the daemon is up and subscribed: no start-up race),
/// then publishes the background load stream at a fixed rate and, every `interval`, a reading that
/// crosses the rule's threshold one way or the other, alternately. Each crossing is matched to
/// the `raised`/`resolved` datagram of the rule in order. Latency is publish → datagram received,
/// so it includes the broker hop, the ingest batch (flush at N rows or T ms), the SQLite commit
/// and the alert-state save that precede the notice.
public struct AlertLatencyRun {
    public struct Settings: Sendable {
        public var broker: String
        public var database: String
        public var socketPath: String
        public var rule: String
        public var sensor: String
        public var site: String
        public var metric: String
        /// The value that raises the rule, and the one that resolves it.
        public var raiseValue: Double
        public var clearValue: Double
        public var crossings = 240
        public var interval: Duration = .milliseconds(250)
        public var background: LoadStream
        public var backgroundRate: Double = 10_000
        /// Background load before the first crossing, so the daemon is in its steady state.
        public var lead: Duration = .seconds(2)
        public var qos: UInt8 = 1
        public var window = 2000
        public var daemonPID: Int32?
        public var idleTimeout: Duration = .seconds(60)
        public var startTimeout: Duration = .seconds(60)

        public init(
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

    public let settings: Settings

    public init(settings: Settings) { self.settings = settings }

    /// Readings needed for `crossings` at `interval` plus the lead and a second of tail.
    public static func backgroundCount(rate: Double, crossings: Int, interval: Duration, lead: Duration) -> Int {
        let seconds = Double(crossings) * Double(interval.nanoseconds) / 1e9 + Double(lead.nanoseconds) / 1e9 + 1
        return Int((rate * seconds).rounded(.up))
    }

    public func run() throws -> AlertLatencyReport {
        // Bound first: the script starts the daemon once this socket exists.
        let journal = try JournalDatagramSocket(path: settings.socketPath, rule: settings.rule)
        defer { journal.stop() }
        Diagnostics.note("envmon-sim alert-latency: listening on \(settings.socketPath)")
        let queries = try LoadRun.waitForDatabase(settings.database, timeout: settings.startTimeout)

        let crossingPublisher = try Publisher(
            broker: settings.broker, clientID: "envmon-sim-alert-\(UInt32.random(in: 0...UInt32.max))", window: 100)
        defer { crossingPublisher.stop() }
        try crossingPublisher.waitUntilConnected()
        var lastTime: Int64 = 0
        func publishCrossing(_ value: Double) throws -> Int64 {
            // Strictly increasing sensor times: the engine ignores a reading older than the last.
            let time = max(wallClockMilliseconds(), lastTime + 1)
            lastTime = time
            let payload = "{\"ts\":\(time),\"\(settings.metric)\":\(value)}"
            let sent = monotonicNanoseconds()
            try crossingPublisher.publish(
                topic: "\(settings.background.topicPrefix)/\(settings.site)/\(settings.sensor)",
                payload: Array(payload.utf8), qos: settings.qos)
            return sent
        }
        try warmUp(journal: journal, publish: publishCrossing)
        let baseline = journal.events.value.count

        // Background load on its own connection and thread, paced to the target rate.
        let stream = settings.background
        let before = try LoadRun.counters(queries)
        let backgroundSent = SentCounter()
        let backgroundPublisher = try Publisher(broker: settings.broker, window: settings.window)
        defer { backgroundPublisher.stop() }
        try backgroundPublisher.waitUntilConnected()
        let failure = Locked<String?>(nil)
        let loader = Thread { [settings] in
            let start = monotonicNanoseconds()
            for index in 0..<stream.messageCount {
                if StopSignal.requested { break }
                let due = start + Int64(Double(index * stream.pack) / settings.backgroundRate * 1e9)
                let wait = due - monotonicNanoseconds()
                if wait > 50_000 { sleepNanoseconds(wait) }
                let message = stream.message(index)
                do {
                    try backgroundPublisher.publish(topic: message.topic, payload: message.payload, qos: settings.qos)
                } catch {
                    failure.set("\(error)")
                    break
                }
                backgroundSent.value.add(message.readings, ordering: .relaxed)
            }
        }
        loader.start()
        sleepNanoseconds(settings.lead.nanoseconds)

        // The crossings: even ones raise, odd ones resolve; an even count leaves the rule clear.
        let crossings = settings.crossings + settings.crossings % 2
        var published = [Int64](repeating: 0, count: crossings)
        let firstCrossingTime = lastTime + 1
        let windowStart = monotonicNanoseconds()
        let sentAtStart = backgroundSent.value.load(ordering: .relaxed)
        for index in 0..<crossings {
            if StopSignal.requested { break }
            let due = windowStart + Int64(index) * settings.interval.nanoseconds
            sleepNanoseconds(due - monotonicNanoseconds())
            published[index] = try publishCrossing(index % 2 == 0 ? settings.raiseValue : settings.clearValue)
        }
        let windowEnd = monotonicNanoseconds()
        let sentAtEnd = backgroundSent.value.load(ordering: .relaxed)
        let lastTimeSent = lastTime

        // Notices still on their way.
        let noticeDeadline = monotonicNanoseconds() + 10_000_000_000
        while journal.events.value.count - baseline < crossings, monotonicNanoseconds() < noticeDeadline,
            !StopSignal.requested
        {
            sleepNanoseconds(10_000_000)
        }

        // Everything the background published must be stored, as in the load mode.
        while !loader.isFinished { sleepNanoseconds(10_000_000) }
        backgroundPublisher.drain(timeout: .seconds(120))
        let total = backgroundSent.value.load(ordering: .relaxed)
        var stored = 0
        var lastProgress = monotonicNanoseconds()
        while !StopSignal.requested {
            let now = Int(try LoadRun.counters(queries).stored - before.stored)
            if now > stored {
                stored = now
                lastProgress = monotonicNanoseconds()
            }
            // Crossing readings count too once the warm-up is past; the exact count is below.
            if stored >= total + crossings { break }
            if monotonicNanoseconds() - lastProgress > settings.idleTimeout.nanoseconds { break }
            sleepNanoseconds(20_000_000)
        }
        let exact = try LoadRun.storedReadings(queries, stream: stream)
        let after = try LoadRun.counters(queries)
        let crossingsStored =
            (try? queries.readings(
                of: SeriesKey(sensor: settings.sensor, metric: settings.metric),
                from: Timestamp(milliseconds: firstCrossingTime), to: Timestamp(milliseconds: lastTimeSent + 1),
                limit: 1_000_000))?.count ?? 0

        // Match in order: crossing 2k ↔ the k-th raised after the warm-up, 2k+1 ↔ the k-th resolved.
        let events = Array(journal.events.value.dropFirst(baseline))
        let raised = events.filter { $0.notice == "raised" }
        let resolved = events.filter { $0.notice == "resolved" }
        let unexpected =
            events.count - raised.count - resolved.count + max(0, raised.count - crossings / 2)
            + max(0, resolved.count - crossings / 2)
        var all: [Double] = []
        var raisedLatencies: [Double] = []
        var resolvedLatencies: [Double] = []
        var missing = 0
        for index in 0..<crossings where published[index] > 0 {
            let list = index % 2 == 0 ? raised : resolved
            guard index / 2 < list.count else {
                missing += 1
                continue
            }
            let latency = Double(list[index / 2].arrival - published[index]) / 1e6
            all.append(latency)
            if index % 2 == 0 { raisedLatencies.append(latency) } else { resolvedLatencies.append(latency) }
        }
        let windowSeconds = max(1e-9, Double(windowEnd - windowStart) / 1e9)
        var report = AlertLatencyReport(
            rule: settings.rule, sensor: settings.sensor, crossings: published.filter { $0 > 0 }.count,
            matched: all.count, missing: missing, unexpected: unexpected, crossingsStored: crossingsStored,
            latencyP50Milliseconds: Self.percentile(all, 50), latencyP99Milliseconds: Self.percentile(all, 99),
            latencyMaxMilliseconds: all.max(), raisedP50Milliseconds: Self.percentile(raisedLatencies, 50),
            resolvedP50Milliseconds: Self.percentile(resolvedLatencies, 50),
            intervalMilliseconds: Double(settings.interval.nanoseconds) / 1e6,
            backgroundTargetRate: settings.backgroundRate,
            backgroundRate: Double(sentAtEnd - sentAtStart) / windowSeconds, backgroundReadings: total,
            backgroundStored: exact, backgroundLost: total - exact,
            duplicates: Int(after.duplicates - before.duplicates))
        if let pid = settings.daemonPID, let memory = ProcessMemory.status(pid: pid) {
            report.daemonPeakRSSMiB = Double(memory.peakKiB) / 1024
        }
        if events.contains(where: { $0.value != nil && $0.notice == "raised" && $0.value != settings.raiseValue }) {
            report.note = "a raised notice carried another value than \(settings.raiseValue): matching is off"
        }
        if let problem = failure.value { report.note = "background publisher failed: \(problem)" }
        if StopSignal.requested { report.note = "stopped by signal" }
        return report
    }

    /// Publishes the raising value until the rule is raised, then the clearing one until it is
    /// resolved: proves the daemon is subscribed and the socket wired before anything is timed.
    private func warmUp(journal: JournalDatagramSocket, publish: (Double) throws -> Int64) throws {
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
                            + "\(settings.startTimeout): is envmond running with ENVMON_JOURNAL_SOCKET and the rule?")
                }
                _ = try publish(phase.value)
                sleepNanoseconds(250_000_000)
            }
        }
    }

    static func percentile(_ values: [Double], _ percent: Int) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, sorted.count * percent / 100)]
    }
}

/// Background readings handed to the publisher (shared with its thread).
final class SentCounter: Sendable {
    let value = Atomic<Int>(0)
}

/// The stand-in for journald's native socket: a bound Unix datagram socket whose receiver thread
/// stamps each `KEY=value` datagram of one rule on arrival.
final class JournalDatagramSocket: Sendable {
    struct Event: Sendable {
        var notice: String
        var value: Double?
        /// Monotonic ns when recv returned.
        var arrival: Int64
    }

    let path: String
    let events = Locked<[Event]>([])
    private let descriptor: Int32
    private let stopped = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)

    init(path: String, rule: String) throws(SimulatorError) {
        self.path = path
        unlink(path)
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw SimulatorError("socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(descriptor)
            throw SimulatorError("\(path): socket path too long")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let message = String(cString: strerror(errno))
            close(descriptor)
            throw SimulatorError("bind \(path): \(message)")
        }
        // A short timeout so the receiver notices stop(); a big buffer so the daemon never waits on us.
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var size: Int32 = 4 << 20
        setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        let thread = Thread { [self] in receive(rule: rule) }
        thread.start()
    }

    private func receive(rule: String) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !stopped.load(ordering: .relaxed) {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else { continue }
            let arrival = monotonicNanoseconds()
            var fields: [Substring: Substring] = [:]
            let text = String(decoding: buffer[0..<count], as: UTF8.self)
            for line in text.split(separator: "\n") {
                guard let equals = line.firstIndex(of: "=") else { continue }
                fields[line[..<equals]] = line[line.index(after: equals)...]
            }
            guard fields["ENVMON_RULE"].map(String.init) == rule, let notice = fields["ENVMON_NOTICE"] else { continue }
            let event = Event(
                notice: String(notice), value: fields["ENVMON_VALUE"].flatMap { Double(String($0)) }, arrival: arrival)
            events.update { $0.append(event) }
        }
        finished.store(true, ordering: .releasing)
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
        while !finished.load(ordering: .acquiring) { sleepNanoseconds(5_000_000) }
        close(descriptor)
        unlink(path)
    }
}
