public import EnvMonCore

/// `[transmission]`: data files in the Thông tư 10/2021/TT-BTNMT layout for the provincial Sở Tài
/// nguyên và Môi trường, made per station per measurement interval and pushed to each target.
public struct TransmissionSettings: Hashable, Sendable {
    /// Codes in the file name `<province>_<facility>_<station>_<yyyyMMddHHmmss>.txt`.
    public var province = "HP"
    public var facility = "CATHAI"
    /// The measurement interval one file covers.
    public var interval: Duration = .seconds(300)
    /// How long after an interval closes its file is made, so late readings are in it.
    public var delay: Duration = .seconds(60)
    /// The interval's value: the mean of its readings, or the last.
    public var value = ValueChoice.mean
    /// The time in the file name and lines: the interval's end (the logger's time of the mean) or start.
    public var timeLabel = TimeLabel.end
    /// Digits after the decimal point.
    public var decimals = 2
    /// The journal and the gauge say so when the oldest unsent file is older than this.
    public var backlogAlarm: Duration = .seconds(300)
    /// Sent files are kept in the outbox at least this many days (TT 10/2021: 60).
    public var keepDays = 60
    public var stations: [StationSettings] = []
    public var targets: [TargetSettings] = []
    /// Parameter code and unit per metric: the defaults for the shipped metrics, then the file's.
    public var parameters: [String: ParameterCode] = ParameterCode.defaults

    public init() {}

    public enum ValueChoice: String, Hashable, Sendable, CaseIterable { case mean, last }
    public enum TimeLabel: String, Hashable, Sendable, CaseIterable { case end, start }

    /// Whether anything is to be sent at all.
    public var isEnabled: Bool { !stations.isEmpty && !targets.isEmpty }
}

/// A station as the Sở knows it: its code and the sensors whose metrics make its lines.
public struct StationSettings: Hashable, Sendable {
    public var id: String
    public var site: String
    /// In order: of two sensors measuring one metric, the first listed gives the line.
    public var sensors: [String]
}

/// Where files (or webhooks) go: FTP, FTPS, SFTP, HTTP(S).
public struct TargetSettings: Hashable, Sendable {
    public var id: String
    public var url: String
    public var username: String?
    /// The password is read from this file (systemd `LoadCredential=`), never from the config.
    public var passwordFile: String?
    /// `ftp://` with AUTH TLS required (explicit FTPS); `ftps://` is implicit TLS.
    public var requireTLS = false
    public var caFile: String?
    public var privateKey: String?
    public var publicKey: String?
    /// SFTP: the server's host key, SHA-256 fingerprint in base64 (as `ssh-keygen -l` prints it,
    /// without the `SHA256:` prefix).
    public var hostKeySHA256: String?
    public var knownHosts: String?
    /// Stations sent to this target (all when empty).
    public var stations: [String] = []
    public var timeout: Duration = .seconds(30)
    /// Backoff after a failure: from the first, doubling up to the second.
    public var retryMinimum: Duration = .seconds(5)
    public var retryMaximum: Duration = .seconds(300)
}

/// A metric's parameter code and unit in the data file.
public struct ParameterCode: Hashable, Sendable {
    public var code: String
    public var unit: String

    public init(code: String, unit: String) {
        self.code = code
        self.unit = unit
    }

    /// Codes as monitoring stations in Vietnam send them (chosen without the circular's appendix
    /// at hand: each can be changed in `[transmission.parameters]`).
    public static let defaults: [String: ParameterCode] = [
        "water_temp": .init(code: "Temp", unit: "oC"), "salinity": .init(code: "Salinity", unit: "PSU"),
        "ph": .init(code: "pH", unit: "-"), "do": .init(code: "DO", unit: "mg/L"),
        "do_sat": .init(code: "DO_Sat", unit: "%"), "turbidity": .init(code: "Turbidity", unit: "NTU"),
        "tss": .init(code: "TSS", unit: "mg/L"), "nh4": .init(code: "NH4+", unit: "mg/L"),
        "po4": .init(code: "PO4", unit: "mg/L"), "water_level": .init(code: "Level", unit: "m"),
        "air_temp": .init(code: "Temp", unit: "oC"), "humidity": .init(code: "Humidity", unit: "%"),
        "pressure": .init(code: "Pressure", unit: "hPa"), "wind_speed": .init(code: "WindSpeed", unit: "m/s"),
        "wind_dir": .init(code: "WindDir", unit: "Deg"), "rain_rate": .init(code: "Rain", unit: "mm/h"),
        "pm25": .init(code: "PM-2.5", unit: "ug/m3"), "pm10": .init(code: "PM-10", unit: "ug/m3"),
        "co": .init(code: "CO", unit: "ug/m3"), "no2": .init(code: "NO2", unit: "ug/m3"),
        "so2": .init(code: "SO2", unit: "ug/m3"), "o3": .init(code: "O3", unit: "ug/m3"),
    ]
}

/// `[[webhooks]]`: alert transitions POSTed as JSON (or a template) to a relay.
public struct WebhookSettings: Hashable, Sendable {
    public var id: String
    public var target: TargetSettings
    /// Only these severities (all when empty): info, warning, critical.
    public var severities: Set<String> = []
    /// Only alerts of these sites (all when empty).
    public var sites: Set<String> = []
    /// Only these notices (default: raised, escalated, resolved, repeated, acknowledged).
    public var notices: Set<String> = []
    /// The body with `{{field}}` placeholders; nil: the MQTT event's JSON.
    public var template: WebhookTemplate?
    public var contentType = "application/json"
    /// Extra headers (e.g. a relay's token), values read from the config.
    public var headers: [String: String] = [:]
    /// Give up on a transition after this many attempts or this age (the journal says so).
    public var maximumAttempts = 20
    public var maximumAge: Duration = .seconds(86_400)
}
