package import EnvMonConfig
internal import EnvMonCore

/// Publishes the simulated network to a broker: in real time, replayed faster (`timeScale`,
/// readings keep their embedded times; once the replay catches up with the wall clock it goes on
/// in real time, since the daemon rejects readings from the future), or at a fixed message rate.
package struct SimulationRun {
    package struct Settings: Sendable {
        package var broker: String
        package var qos: UInt8 = 1
        package var style: PayloadStyle = .mix
        package var seed: UInt64 = 1
        /// Epoch milliseconds of the first simulated reading time.
        package var start: Int64
        package var timeScale: Double = 1
        /// Stop after this much wall-clock time (ms).
        package var duration: Int64?
        /// Stop when simulated time has covered this much (ms).
        package var span: Int64?
        /// Stop after this many messages.
        package var count: Int?
        /// Messages per second instead of the sensors' own intervals.
        package var rate: Double?
        package var faults: [FaultSpec] = []
        package var storms: [Weather.Storm] = []
        package var stormFrequency: Double = 1
        package var clientID: String?
        package var window = 2000
        package var progressEvery: Int64 = 5000

        package init(broker: String, start: Int64) {
            self.broker = broker
            self.start = start
        }
    }

    package let configuration: EnvMonConfiguration
    package let settings: Settings

    package init(configuration: EnvMonConfiguration, settings: Settings) {
        self.configuration = configuration
        self.settings = settings
    }

    /// Plain numbers carry no time, so they are only sent when readings go out as they happen.
    static func allowsPlain(_ settings: Settings, now: Int64) -> Bool {
        settings.rate == nil && settings.timeScale == 1 && settings.start >= now - 120_000
    }

    package func run() throws -> Manifest {
        let wallStart = wallClockMilliseconds()
        var generator = try TrafficGenerator(
            configuration: configuration, seed: settings.seed, start: settings.start, style: settings.style,
            faults: settings.faults, storms: settings.storms, stormFrequency: settings.stormFrequency,
            allowPlain: Self.allowsPlain(settings, now: wallStart))
        let maximumAge = configuration.ingest.maximumAge.wholeMillisecondsValue
        if settings.start < wallStart - maximumAge {
            Diagnostics.note(
                "envmon-sim: warning: --start is more than ingest.max_age before now: the daemon will reject "
                    + "those readings as bad_timestamp")
        }
        let publisher = try Publisher(broker: settings.broker, clientID: settings.clientID, window: settings.window)
        defer { publisher.stop() }
        try publisher.waitUntilConnected()
        let began = monotonicNanoseconds()
        var lastProgress = wallStart
        var sent = 0
        var stopReason = "finished"
        loop: while true {
            if StopSignal.requested {
                stopReason = "stopped by signal"
                break
            }
            let time = generator.nextTime
            if let span = settings.span, time >= settings.start + span { break }
            let now = wallClockMilliseconds()
            if let duration = settings.duration, now >= wallStart + duration {
                stopReason = "duration reached"
                break
            }
            if let rate = settings.rate {
                if time > now {
                    stopReason = "simulated time caught up with the wall clock (rate mode)"
                    break
                }
                let due = began + Int64(Double(sent) / rate * 1e9)
                waitUntilMonotonic(due)
            } else {
                let replayed = wallStart + Int64(Double(time - settings.start) / max(settings.timeScale, 1e-9))
                let target = max(replayed, time)
                if let duration = settings.duration, target > wallStart + duration {
                    waitUntilWall(wallStart + duration)
                    stopReason = "duration reached"
                    break
                }
                waitUntilWall(target)
                if StopSignal.requested { continue }
            }
            let tick = generator.nextTick(now: wallClockMilliseconds())
            for message in tick.messages {
                try publisher.publish(message, qos: settings.qos)
                sent += 1
                if let count = settings.count, sent >= count {
                    stopReason = "count reached"
                    break loop
                }
            }
            let wall = wallClockMilliseconds()
            if wall - lastProgress >= settings.progressEvery {
                lastProgress = wall
                Diagnostics.note(
                    "envmon-sim: \(RFC3339.format(Timestamp(milliseconds: tick.time))) sent \(sent) messages, "
                        + "\(generator.manifest.readingsSent) readings, faults "
                        + generator.manifest.faults.map { "\($0.key)=\($0.value.injected)" }.sorted().joined(
                            separator: " "))
            }
        }
        for message in generator.finish() {
            try publisher.publish(message, qos: settings.qos)
        }
        if !publisher.drain(timeout: .seconds(60)) {
            Diagnostics.note("envmon-sim: warning: not every publish completed within 60 s")
        }
        var manifest = generator.manifest
        manifest.qos = Int(settings.qos)
        manifest.timeScale = settings.timeScale
        manifest.startedAt = RFC3339.format(Timestamp(milliseconds: wallStart))
        manifest.finishedAt = RFC3339.format(Timestamp(milliseconds: wallClockMilliseconds()))
        manifest.notes.append(stopReason)
        if settings.qos == 0 { manifest.notes.append("QoS 0: the broker may drop messages; expectations assume none") }
        return manifest
    }

    private func waitUntilWall(_ target: Int64) {
        while !StopSignal.requested {
            let remaining = target - wallClockMilliseconds()
            if remaining <= 0 { return }
            sleepNanoseconds(min(remaining, 200) * 1_000_000)
        }
    }

    private func waitUntilMonotonic(_ target: Int64) {
        let remaining = target - monotonicNanoseconds()
        if remaining > 0 { sleepNanoseconds(remaining) }
    }
}
