public import EnvMonCore

/// Where the daemon keeps its files.
public struct DaemonSettings: Hashable, Sendable {
    public var database: String = "/var/lib/envmon/envmon.db"
    /// Holds the inbox journal; the database's directory when not set.
    public var stateDirectory: String?
    public var logLevel: String = "info"
    /// How often the daemon saves its live figures for `envmon stats`.
    public var statisticsInterval: Duration = .seconds(5)
    /// Prometheus text endpoint `host:port` on a loopback address; nil disables it.
    public var metricsListen: String?

    /// Where the inbox journal lives: `state_directory`, else beside the database.
    public var effectiveStateDirectory: String {
        if let stateDirectory { return stateDirectory }
        guard let slash = database.lastIndex(of: "/") else { return "." }
        return slash == database.startIndex ? "/" : String(database[..<slash])
    }
}

public enum MQTTProtocolVersion: String, Sendable, Hashable, CaseIterable {
    case v311 = "3.1.1"
    case v5 = "5"
}

public struct BrokerSettings: Hashable, Sendable {
    public var url: String = "mqtt://127.0.0.1:1883"
    public var clientID: String = "envmond"
    public var protocolVersion: MQTTProtocolVersion = .v5
    public var username: String?
    /// The password is read from this file (systemd `LoadCredential=`), never from the config.
    public var passwordFile: String?
    public var caFile: String?
    public var certificateFile: String?
    public var keyFile: String?
    /// MQTT 5 Session-Expiry-Interval: how long the broker keeps our queue while we are away.
    public var sessionExpiry: Duration = .seconds(7 * 86400)
    public var keepAlive: Duration = .seconds(30)
    public var reconnectMinimum: Duration = .seconds(1)
    public var reconnectMaximum: Duration = .seconds(30)
}

public struct SubscriptionSettings: Hashable, Sendable {
    public var topic: String
    public var format: PayloadFormat
    public var qos: Int
    public var precision: TimePrecision

    public init(topic: String, format: PayloadFormat, qos: Int, precision: TimePrecision = .nanoseconds) {
        self.topic = topic
        self.format = format
        self.qos = qos
        self.precision = precision
    }
}

public enum InboxSyncPolicy: String, Sendable, Hashable, CaseIterable {
    /// write(2) only: survives a crash or SIGKILL of the daemon, not a power cut.
    case never
    /// fdatasync at most once a second (Redis's `appendfsync everysec`).
    case everySecond = "everysec"
    /// fdatasync after every message: survives a power cut, costs throughput.
    case always
}

public struct IngestSettings: Hashable, Sendable {
    /// Flush a batch at this many messages...
    public var batchSize: Int = 2000
    /// ...or this long after its first message, whichever comes first.
    public var flushInterval: Duration = .milliseconds(100)
    /// Hand-off bound between the MQTT thread and the ingest: messages and bytes.
    public var handoffCapacity: Int = 8192
    public var handoffBytes: Int = 32 * 1024 * 1024
    public var maximumPayloadBytes: Int = 64 * 1024
    public var inboxSync: InboxSyncPolicy = .never
    public var inboxSegmentBytes: Int = 64 * 1024 * 1024
    public var rejectUnknownSensors: Bool = false
    public var maximumFutureSkew: Duration = .seconds(300)
    public var maximumAge: Duration = .seconds(7 * 86400)
    /// Bound on distinct sensor ids accepted (a cardinality attack stops here).
    public var maximumSensors: Int = 10_000
}

public struct RetentionSettings: Hashable, Sendable {
    public var rawDays: Int? = 400
    public var minuteDays: Int? = 800
    public var hourDays: Int? = 3650
    public var dayDays: Int?
    public var rejectDays: Int? = 90
    /// The rejects table's bound: rows and payload bytes (whole payloads of replayable rejects are
    /// kept); the oldest go first.
    public var rejectRows: Int = 100_000
    public var rejectMebibytes: Int = 256
}

public struct SiteSettings: Hashable, Sendable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case aquaculture
        case beach
        case town
        case port
        case coast
        case island
    }

    public var id: String
    public var name: String
    public var kind: Kind
    public var latitude: Double?
    public var longitude: Double?
    public var commune: String?
}

public struct SensorSettings: Hashable, Sendable {
    public var id: String
    public var site: String
    public var model: String?
    public var metrics: [String]
    public var interval: Duration
    public var aliases: [String: String]
    /// The JSON member or SenML record name in which the device reports its own status
    /// (measuring/calibrating/device error, `DeviceStatus(reported:)`); nil: it reports none.
    public var statusField: String? = nil
}

public struct AlertingSettings: Hashable, Sendable {
    /// Add the built-in Cát Hải rules to those of the file (a file rule with the same id wins).
    public var includeDefaults = false
    /// How often rules are evaluated on the timer (for-durations, no-data, repeats).
    public var evaluationInterval: Duration = .seconds(1)
    /// Publish alert state and events on `<prefix>/alerts/...`.
    public var publishMQTT = true
}
