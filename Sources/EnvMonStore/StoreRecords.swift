public import EnvMonCore

/// Where the ingest has got to in the inbox journal: a segment number and a byte offset in it.
public struct InboxPosition: Hashable, Comparable, Sendable {
    public var segment: Int64
    public var offset: Int64

    public init(segment: Int64, offset: Int64) {
        self.segment = segment
        self.offset = offset
    }

    public static func < (lhs: InboxPosition, rhs: InboxPosition) -> Bool {
        (lhs.segment, lhs.offset) < (rhs.segment, rhs.offset)
    }
}

/// A rejected message or record, kept so staff can see what sensors send wrong.
public struct RejectRecord: Hashable, Sendable {
    public var receivedAt: Timestamp
    public var topic: String
    public var reason: RejectReason
    public var detail: String
    /// The raw payload: whole for the reasons a replay can undo (bounded by the ingest's payload
    /// limit), else truncated to `RejectRecord.maximumPayloadBytes`.
    public var payload: [UInt8]

    public static let maximumPayloadBytes = 512
    /// A bound on a kept payload whatever the config says (mosquitto's default message limit).
    public static let maximumReplayablePayloadBytes = 268_435_455

    public init(
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
public struct RejectBudget: Sendable, Equatable {
    public var maximumRows: Int
    public var maximumBytes: Int64

    public init(maximumRows: Int = 100_000, maximumBytes: Int64 = 256 << 20) {
        self.maximumRows = maximumRows
        self.maximumBytes = maximumBytes
    }
}

/// A replay the CLI asked for, and what came of it.
public struct RejectReplayRequest: Sendable, Equatable {
    public var id: Int64
    public var reason: RejectReason?
    public var since: Timestamp?
    public var dryRun: Bool
    public var status: String
    /// Per reason: stored, still refused, already present (dry run: would store, still refused, 0).
    public var results: [RejectReason: ReplayCounts]
    public var detail: String?

    public init(
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
public struct ReplayCounts: Sendable, Equatable {
    public var stored = 0
    public var stillRefused = 0
    public var alreadyPresent = 0

    public init(stored: Int = 0, stillRefused: Int = 0, alreadyPresent: Int = 0) {
        self.stored = stored
        self.stillRefused = stillRefused
        self.alreadyPresent = alreadyPresent
    }
}

/// Rejected messages to replay: one per distinct message (a message can have several reject rows).
public struct ReplayableMessage: Sendable {
    public var rowIDs: [Int64]
    public var reason: RejectReason
    public var receivedAt: Timestamp
    public var topic: String
    public var payload: [UInt8]
}

/// One transaction's worth of ingest: what the daemon decoded, validated and QC'd from one drain
/// of the hand-off buffer.
public struct IngestBatch: Sendable {
    public var readings: [Reading]
    /// Settled flags for readings stored earlier (or earlier in this batch).
    public var revisions: [QualityRevision]
    public var rejects: [RejectRecord]
    /// Site of each sensor seen in this batch.
    public var sites: [String: String]
    /// The inbox journal position this batch consumed up to, if any message came from it.
    public var inboxPosition: InboxPosition?
    /// Per sensor, what the batch changed in its delivery figures (`seq` and catch-up counts).
    public var delivery: [String: SensorDeliveryChange] = [:]
    /// When the batch's newest message was received: the day its delivery figures count for.
    public var receivedAt: Timestamp?
    /// Readings of messages dropped before storing as resends (a repeated JSON `seq`): counted
    /// with the duplicates the store itself finds.
    public var droppedDuplicates = 0

    public init(
        readings: [Reading] = [], revisions: [QualityRevision] = [], rejects: [RejectRecord] = [],
        sites: [String: String] = [:], inboxPosition: InboxPosition? = nil
    ) {
        self.readings = readings
        self.revisions = revisions
        self.rejects = rejects
        self.sites = sites
        self.inboxPosition = inboxPosition
    }

    public var isEmpty: Bool {
        readings.isEmpty && revisions.isEmpty && rejects.isEmpty && inboxPosition == nil && delivery.isEmpty
            && droppedDuplicates == 0
    }
}

/// What a batch write did.
public struct BatchOutcome: Sendable {
    /// Readings new to the store (in batch order, with settled flags); duplicates are left out.
    public var stored: [Reading]
    public var duplicates: Int
    public var rejects: Int
}

/// A stored raw reading as queries return it.
public struct StoredReading: Hashable, Sendable {
    public var series: SeriesKey
    public var timestamp: Timestamp
    public var value: Double
    public var quality: QualityFlag
    public var flaggedBy: QCTests
    public var timeSource: TimeSource = .device
    public var deviceStatus: DeviceStatus = .measuring
}

/// A batch's change to one sensor's delivery figures: the newest `seq` and its payload checksum
/// (nil when the batch had none), and counts to add.
public struct SensorDeliveryChange: Equatable, Sendable {
    public var lastSequence: Int64?
    public var lastChecksum: UInt32 = 0
    public var missing: Int64 = 0
    public var duplicates: Int64 = 0
    public var restarts: Int64 = 0
    public var catchUpReadings: Int64 = 0

    public init() {}

    /// Counts one `seq` verdict; false when the message is a resend to drop.
    public mutating func record(_ verdict: SequenceTracker.Verdict, sequence: Int64, checksum: UInt32) -> Bool {
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
public struct SensorDelivery: Equatable, Sendable {
    public var sensor: String
    public var lastSequence: Int64?
    public var lastChecksum: UInt32
    public var missing: Int64
    public var duplicates: Int64
    public var restarts: Int64
    public var catchUpReadings: Int64

    public init(
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
public struct RollupPoint: Hashable, Sendable {
    public var series: SeriesKey
    public var bucket: Timestamp
    public var count: Int
    public var minimum: Double
    public var maximum: Double
    public var sum: Double
    public var lastTimestamp: Timestamp
    public var lastValue: Double

    public var mean: Double { sum / Double(count) }
}

/// A sensor as the store has seen it.
public struct SensorRecord: Hashable, Sendable {
    public var sensor: String
    public var site: String?
    public var firstSeen: Timestamp
    public var lastSeen: Timestamp
    public var metrics: [String]
}

/// The newest reading of a series.
public struct LatestValue: Hashable, Sendable {
    public var series: SeriesKey
    public var site: String?
    public var timestamp: Timestamp
    public var value: Double
    public var quality: QualityFlag
}

/// Totals for `envmon stats`.
public struct StoreStatistics: Sendable {
    public var counters: [String: Int64]
    public var rejectsByReason: [String: Int64]
    public var series: Int
    public var sensors: Int
    public var rawPartitions: Int
    public var oldestPartition: Timestamp?
    public var newestPartition: Timestamp?
    public var databaseBytes: Int64
    public var daemon: [String: Double]
    public var daemonUpdatedAt: Timestamp?
}
