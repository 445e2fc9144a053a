internal import EnvMonConfig
package import EnvMonCore
package import EnvMonStore

/// Makes each station's data file once its interval has closed (plus the configured delay) and
/// puts it in the outbox for every target that takes the station. The made-through mark moves in
/// the same transaction, so a crash neither skips an interval nor makes one twice; after a stop
/// the intervals missed are made on the next start, oldest first.
package struct TransmissionScheduler: Sendable {
    let builder: DataFileBuilder
    let outbox: any OutboxStore

    package init(builder: DataFileBuilder, outbox: any OutboxStore) {
        self.builder = builder
        self.outbox = outbox
    }

    var settings: TransmissionSettings { builder.configuration.transmission }

    /// Makes every file due at `now`; returns how many entries were queued.
    @discardableResult
    package func makeDue(now: Timestamp) throws -> Int {
        let madeThrough = try outbox.madeThrough()
        let width = settings.interval.wholeMilliseconds
        let latestClosed = now.adding(.zero - settings.delay).floored(toMultipleOf: width)
        // At most the kept days are made up after a long stop.
        let earliest = latestClosed.adding(milliseconds: -Int64(settings.keepDays) * 86_400_000)
        var queued = 0
        for station in settings.stations {
            let targets = settings.targets.filter { $0.stations.isEmpty || $0.stations.contains(station.id) }
            guard !targets.isEmpty else { continue }
            // A new station starts with the interval that closes next: no history is sent unasked
            // (`envmon transmit resend` makes older ones).
            var end = madeThrough[station.id].map { max($0, earliest) } ?? latestClosed
            var entries: [OutboxEntry] = []
            while end < latestClosed {
                end = end.adding(milliseconds: width)
                guard let file = try builder.file(station: station, intervalEnd: end) else { continue }
                for target in targets {
                    entries.append(
                        OutboxEntry(
                            target: target.id, kind: .dataFile, name: file.name, body: file.bytes, station: station.id,
                            intervalEnd: end, createdAt: now))
                }
                // Bounded transactions when a long stop is made up.
                if entries.count >= 500 {
                    try outbox.enqueue(entries, madeThrough: [station.id: end])
                    queued += entries.count
                    entries = []
                }
            }
            if madeThrough[station.id] != end || !entries.isEmpty {
                try outbox.enqueue(entries, madeThrough: [station.id: end])
                queued += entries.count
            }
        }
        return queued
    }

    /// Queues the files of intervals ending in [from, to] again: files already made are sent again
    /// as they were made; intervals never made are made now. Returns how many entries.
    package func resend(station: String?, target: String?, from: Timestamp, to: Timestamp, now: Timestamp) throws -> Int
    {
        var count = try outbox.resend(target: target, station: station, from: from, to: to, at: now)
        let existing = Set(try outbox.dataFiles(station: station, from: from, to: to).map { "\($0.target)|\($0.name)" })
        var entries: [OutboxEntry] = []
        let width = settings.interval.wholeMilliseconds
        for stationSettings in settings.stations where station == nil || stationSettings.id == station {
            var end = builder.intervalEnd(containing: from)
            while end <= to {
                defer { end = end.adding(milliseconds: width) }
                guard let file = try builder.file(station: stationSettings, intervalEnd: end) else { continue }
                for targetSettings in settings.targets
                where (target == nil || targetSettings.id == target)
                    && (targetSettings.stations.isEmpty || targetSettings.stations.contains(stationSettings.id))
                    && !existing.contains("\(targetSettings.id)|\(file.name)")
                {
                    entries.append(
                        OutboxEntry(
                            target: targetSettings.id, kind: .dataFile, name: file.name, body: file.bytes,
                            station: stationSettings.id, intervalEnd: end, createdAt: now))
                }
            }
        }
        try outbox.enqueue(entries)
        count += entries.count
        return count
    }
}
