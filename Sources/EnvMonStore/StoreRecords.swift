package import EnvMonCore

/// Where the ingest has got to in the inbox journal: a segment number and a byte offset in it.
package struct InboxPosition: Hashable, Comparable, Sendable {
    package var segment: Int64
    package var offset: Int64

    package init(segment: Int64, offset: Int64) {
        self.segment = segment
        self.offset = offset
    }

    package static func < (lhs: InboxPosition, rhs: InboxPosition) -> Bool {
        (lhs.segment, lhs.offset) < (rhs.segment, rhs.offset)
    }
}

/// A rejected message or record, kept so staff can see what sensors send wrong.
package struct RejectRecord: Hashable, Sendable {
    package var receivedAt: Timestamp
    package var topic: String
    package var reason: RejectReason
    package var detail: String
    /// The raw payload: whole for the reasons a replay can undo (bounded by the ingest's payload
    /// limit), else truncated to `RejectRecord.maximumPayloadBytes`.
    package var payload: [UInt8]

    package static let maximumPayloadBytes = 512
    /// A bound on a kept payload whatever the config says (mosquitto's default message limit).
    package static let maximumReplayablePayloadBytes = 268_435_455

    package init(
        receivedAt: Timestamp, topic: String, reason: RejectReason, detail: String, payload: some Collection<UInt8>
    ) {
        self.receivedAt = receivedAt
        self.topic = topic
        self.reason = reason
        self.detail = detail
        self.payload = Array(
            payload.prefix(reason.isReplayable ? Self.maximumReplayablePayloadBytes : Self.maximumPayloadBytes))
    }
}

/// How many rejects the store keeps at most, and in how many payload bytes; the oldest go first,
/// counted (`rejects_dropped`).
package struct RejectBudget: Sendable, Equatable {
    package var maximumRows: Int
    package var maximumBytes: Int64

    package init(maximumRows: Int = 100_000, maximumBytes: Int64 = 256 << 20) {
        self.maximumRows = maximumRows
        self.maximumBytes = maximumBytes
    }
}

/// A replay the CLI asked for, and what came of it.
package struct RejectReplayRequest: Sendable, Equatable {
    package var id: Int64
    package var reason: RejectReason?
    package var since: Timestamp?
    package var dryRun: Bool
    package var status: String
    /// Per reason: stored, still refused, already present (dry run: would store, still refused, 0).
    package var results: [RejectReason: ReplayCounts]
    package var detail: String?

    package init(
        id: Int64, reason: RejectReason?, since: Timestamp?, dryRun: Bool, status: String = "pending",
        results: [RejectReason: ReplayCounts] = [:], detail: String? = nil
    ) {
        self.id = id
        self.reason = reason
        self.since = since
        self.dryRun = dryRun
        self.status = status
        self.results = results
        self.detail = detail
    }
}

/// One reason's outcome of a replay, counted in rejected messages.
package struct ReplayCounts: Sendable, Equatable {
    package var stored = 0
    package var stillRefused = 0
    package var alreadyPresent = 0

    package init(stored: Int = 0, stillRefused: Int = 0, alreadyPresent: Int = 0) {
        self.stored = stored
        self.stillRefused = stillRefused
        self.alreadyPresent = alreadyPresent
    }
}

/// Rejected messages to replay: one per distinct message (a message can have several reject rows).
package struct ReplayableMessage: Sendable {
    package var rowIDs: [Int64]
    package var reason: RejectReason
    package var receivedAt: Timestamp
    package var topic: String
    package var payload: [UInt8]
}

/// One transaction's worth of ingest: what the daemon decoded, validated and QC'd from one drain
/// of the hand-off buffer.
package struct IngestBatch: Sendable {
    package var readings: [Reading]
    /// Settled flags for readings stored earlier (or earlier in this batch).
    package var revisions: [QualityRevision]
    package var rejects: [RejectRecord]
    /// Site of each sensor seen in this batch.
    package var sites: [String: String]
    /// The inbox journal position this batch consumed up to, if any message came from it.
    package var inboxPosition: InboxPosition?
    /// Per sensor, what the batch changed in its delivery figures (`seq` and catch-up counts).
    package var delivery: [String: SensorDeliveryChange] = [:]
    /// When the batch's newest message was received: the day its delivery figures count for.
    package var receivedAt: Timestamp?
    /// Readings of messages dropped before storing as resends (a repeated JSON `seq`): counted
    /// with the duplicates the store itself finds.
    package var droppedDuplicates = 0

    package init(
        readings: [Reading] = [], revisions: [QualityRevision] = [], rejects: [RejectRecord] = [],
        sites: [String: String] = [:], inboxPosition: InboxPosition? = nil
    ) {
        self.readings = readings
        self.revisions = revisions
        self.rejects = rejects
        self.sites = sites
        self.inboxPosition = inboxPosition
    }

    package var isEmpty: Bool {
        readings.isEmpty && revisions.isEmpty && rejects.isEmpty && inboxPosition == nil && delivery.isEmpty
            && droppedDuplicates == 0
    }
}

/// What a batch write did.
package struct BatchOutcome: Sendable {
    /// Readings new to the store (in batch order, with settled flags); duplicates are left out.
    package var stored: [Reading]
    package var duplicates: Int
    package var rejects: Int
}

/// A stored raw reading as queries return it.
package struct StoredReading: Hashable, Sendable {
    package var series: SeriesKey
    package var timestamp: Timestamp
    package var value: Double
    package var quality: QualityFlag
    package var flaggedBy: QCTests
    package var timeSource: TimeSource = .device
    package var deviceStatus: DeviceStatus = .measuring
}

/// A batch's change to one sensor's delivery figures: the newest `seq` and its payload checksum
/// (nil when the batch had none), and counts to add.
package struct SensorDeliveryChange: Equatable, Sendable {
    package var lastSequence: Int64?
    package var lastChecksum: UInt32 = 0
    package var missing: Int64 = 0
    package var duplicates: Int64 = 0
    package var restarts: Int64 = 0
    package var catchUpReadings: Int64 = 0

    package init() {}

    /// Counts one `seq` verdict; false when the message is a resend to drop.
    package mutating func record(_ verdict: SequenceTracker.Verdict, sequence: Int64, checksum: UInt32) -> Bool {
        switch verdict {
        case .duplicate:
            duplicates += 1
            return false
        case .late:
            // It fills a place counted missing when the jump past it arrived.
            missing -= 1
            return true
        case .first: break
        case .next(let skipped): missing += skipped
        case .restart: restarts += 1
        }
        lastSequence = sequence
        lastChecksum = checksum
        return true
    }
}

/// One sensor's delivery figures as stored: `seq` gaps, repeats and restarts, and readings that
/// arrived in a catch-up burst (their times are order only).
package struct SensorDelivery: Equatable, Sendable {
    package var sensor: String
    package var lastSequence: Int64?
    package var lastChecksum: UInt32
    package var missing: Int64
    package var duplicates: Int64
    package var restarts: Int64
    package var catchUpReadings: Int64

    package init(
        sensor: String, lastSequence: Int64?, lastChecksum: UInt32 = 0, missing: Int64 = 0, duplicates: Int64 = 0,
        restarts: Int64 = 0, catchUpReadings: Int64 = 0
    ) {
        self.sensor = sensor
        self.lastSequence = lastSequence
        self.lastChecksum = lastChecksum
        self.missing = missing
        self.duplicates = duplicates
        self.restarts = restarts
        self.catchUpReadings = catchUpReadings
    }
}

/// One roll-up bucket.
package struct RollupPoint: Hashable, Sendable {
    package var series: SeriesKey
    package var bucket: Timestamp
    package var count: Int
    package var minimum: Double
    package var maximum: Double
    package var sum: Double
    package var lastTimestamp: Timestamp
    package var lastValue: Double

    package var mean: Double { sum / Double(count) }
}

/// A sensor as the store has seen it.
package struct SensorRecord: Hashable, Sendable {
    package var sensor: String
    package var site: String?
    package var firstSeen: Timestamp
    package var lastSeen: Timestamp
    package var metrics: [String]
}

/// The newest reading of a series.
package struct LatestValue: Hashable, Sendable {
    package var series: SeriesKey
    package var site: String?
    package var timestamp: Timestamp
    package var value: Double
    package var quality: QualityFlag
}

/// Totals for `envmon stats`.
package struct StoreStatistics: Sendable {
    package var counters: [String: Int64]
    package var rejectsByReason: [String: Int64]
    package var series: Int
    package var sensors: Int
    package var rawPartitions: Int
    package var oldestPartition: Timestamp?
    package var newestPartition: Timestamp?
    package var databaseBytes: Int64
    package var daemon: [String: Double]
    package var daemonUpdatedAt: Timestamp?
}
