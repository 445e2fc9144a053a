package import EnvMonCore

/// Where the daemon keeps its files.
package struct DaemonSettings: Hashable, Sendable {
    package var database: String = "/var/lib/envmon/envmon.db"
    /// Holds the inbox journal; the database's directory when not set.
    package var stateDirectory: String?
    package var logLevel: String = "info"
    /// How often the daemon saves its live figures for `envmon stats`.
    package var statisticsInterval: Duration = .seconds(5)
    /// Prometheus text endpoint `host:port` on a loopback address; nil disables it.
    package var metricsListen: String?

    /// Where the inbox journal lives: `state_directory`, else beside a SQLite database, else (the
    /// database is a server's URL) /var/lib/envmon, the unit's StateDirectory.
    package var effectiveStateDirectory: String {
        if let stateDirectory { return stateDirectory }
        if database.contains("://") { return "/var/lib/envmon" }
        guard let slash = database.lastIndex(of: "/") else { return "." }
        return slash == database.startIndex ? "/" : String(database[..<slash])
    }
}

package enum MQTTProtocolVersion: String, Sendable, Hashable, CaseIterable {
    case v311 = "3.1.1"
    case v5 = "5"
}

package struct BrokerSettings: Hashable, Sendable {
    package var url: String = "mqtt://127.0.0.1:1883"
    package var clientID: String = "envmond"
    package var protocolVersion: MQTTProtocolVersion = .v5
    package var username: String?
    /// The password is read from this file (systemd `LoadCredential=`), never from the config.
    package var passwordFile: String?
    package var caFile: String?
    package var certificateFile: String?
    package var keyFile: String?
    /// MQTT 5 Session-Expiry-Interval: how long the broker keeps our queue while we are away.
    package var sessionExpiry: Duration = .seconds(7 * 86400)
    package var keepAlive: Duration = .seconds(30)
    package var reconnectMinimum: Duration = .seconds(1)
    package var reconnectMaximum: Duration = .seconds(30)
}

package struct SubscriptionSettings: Hashable, Sendable {
    package var topic: String
    package var format: PayloadFormat
    package var qos: Int
    package var precision: TimePrecision

    package init(topic: String, format: PayloadFormat, qos: Int, precision: TimePrecision = .nanoseconds) {
        self.topic = topic
        self.format = format
        self.qos = qos
        self.precision = precision
    }
}

package enum InboxSyncPolicy: String, Sendable, Hashable, CaseIterable {
    /// write(2) only: survives a crash or SIGKILL of the daemon, not a power cut.
    case never
    /// fdatasync at most once a second (Redis's `appendfsync everysec`).
    case everySecond = "everysec"
    /// fdatasync after every message: survives a power cut, costs throughput.
    case always
}

package struct IngestSettings: Hashable, Sendable {
    /// Flush a batch at this many messages...
    package var batchSize: Int = 2000
    /// ...or this long after its first message, whichever comes first.
    package var flushInterval: Duration = .milliseconds(100)
    /// Hand-off bound between the MQTT thread and the ingest: messages and bytes.
    package var handoffCapacity: Int = 8192
    package var handoffBytes: Int = 32 * 1024 * 1024
    package var maximumPayloadBytes: Int = 64 * 1024
    package var inboxSync: InboxSyncPolicy = .never
    package var inboxSegmentBytes: Int = 64 * 1024 * 1024
    package var rejectUnknownSensors: Bool = false
    package var maximumFutureSkew: Duration = .seconds(300)
    package var maximumAge: Duration = .seconds(7 * 86400)
    /// Bound on distinct sensor ids accepted (a cardinality attack stops here).
    package var maximumSensors: Int = 10_000
}

package struct RetentionSettings: Hashable, Sendable {
    package var rawDays: Int? = 400
    package var minuteDays: Int? = 800
    package var hourDays: Int? = 3650
    package var dayDays: Int?
    package var rejectDays: Int? = 90
    /// The rejects table's bound: rows and payload bytes (whole payloads of replayable rejects are
    /// kept); the oldest go first.
    package var rejectRows: Int = 100_000
    package var rejectMebibytes: Int = 256
}

package struct SiteSettings: Hashable, Sendable {
    package enum Kind: String, Sendable, Hashable, CaseIterable {
        case aquaculture
        case beach
        case town
        case port
        case coast
        case island
    }

    package var id: String
    package var name: String
    package var kind: Kind
    package var latitude: Double?
    package var longitude: Double?
    package var commune: String?
}

package struct SensorSettings: Hashable, Sendable {
    package var id: String
    package var site: String
    package var model: String?
    package var metrics: [String]
    package var interval: Duration
    package var aliases: [String: String]
    /// The JSON member or SenML record name in which the device reports its own status
    /// (measuring/calibrating/device error, `DeviceStatus(reported:)`); nil: it reports none.
    package var statusField: String? = nil
}

package struct AlertingSettings: Hashable, Sendable {
    /// Add the built-in Cát Hải rules to those of the file (a file rule with the same id wins).
    package var includeDefaults = false
    /// How often rules are evaluated on the timer (for-durations, no-data, repeats).
    package var evaluationInterval: Duration = .seconds(1)
    /// Publish alert state and events on `<prefix>/alerts/...`.
    package var publishMQTT = true
}
