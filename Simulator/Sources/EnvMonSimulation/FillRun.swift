internal import EnvMonCore
package import EnvMonDaemon

/// Fills a store with the simulated network as envmond would have stored it: each tick's
/// messages, faults and all, go through the daemon's own ingest (`OfflineIngest`: decoding,
/// validation, QC, writer, alert engine), received at the tick's simulated time, and the alert
/// timer runs every `timer` of simulated time. No broker and no wall clock, so any period can be
/// filled however long ago, and the same generator gives the same store.
package struct FillRun {
    package var generator: TrafficGenerator
    package let database: String
    /// Epoch milliseconds: readings up to here.
    package let end: Int64
    /// Simulated milliseconds between two runs of the alert timer. envmond's runs every second and
    /// computes the rolling means once a minute, each reading up to a day of minute roll-ups of
    /// every series: over a month that is most of the work, so a longer timer trades when alerts
    /// fire (up to `timer` late for no-data and rolling means) for speed.
    package let timer: Int64

    package init(generator: TrafficGenerator, database: String, end: Int64, timer: Int64 = SimulationClock.minute) {
        self.generator = generator
        self.database = database
        self.end = end
        self.timer = max(1000, timer)
    }

    /// Fills the store; `progress` hears of each simulated day done (its end, and the figures).
    package mutating func run(
        progress: (Int64, IngestFigures.Snapshot) -> Void = { _, _ in }
    ) throws -> IngestFigures.Snapshot {
        let ingest = try OfflineIngest(
            configuration: generator.configuration, databasePath: database,
            now: Timestamp(milliseconds: generator.nextTime))
        var nextTimer = generator.nextTime
        var nextDay = generator.nextTime + SimulationClock.day
        while generator.nextTime < end {
            let tick = generator.nextTick(now: generator.nextTime)
            try deliver(tick.messages, to: ingest, at: tick.time)
            if tick.time >= nextTimer {
                ingest.tick(now: Timestamp(milliseconds: tick.time))
                nextTimer = tick.time + timer
            }
            if tick.time >= nextDay {
                progress(nextDay, ingest.figures)
                nextDay += SimulationClock.day
            }
        }
        // What bursts still hold arrives at the end.
        try deliver(generator.finish(), to: ingest, at: end)
        ingest.tick(now: Timestamp(milliseconds: end))
        return ingest.figures
    }

    /// One tick's messages, received together: one batch, as the daemon's hand-off makes it.
    private func deliver(_ messages: [OutgoingMessage], to ingest: OfflineIngest, at time: Int64) throws {
        guard !messages.isEmpty else { return }
        try ingest.ingest(messages.map { ($0.topic, $0.payload) }, receivedAt: Timestamp(milliseconds: time))
    }
}
