package import EnvMonCore

/// `[transmission]`: data files in the Thông tư 10/2021/TT-BTNMT layout for the provincial Sở Tài
/// nguyên và Môi trường, made per station per measurement interval and pushed to each target.
package struct TransmissionSettings: Hashable, Sendable {
    /// Codes in the file name `<province>_<facility>_<station>_<yyyyMMddHHmmss>.txt`.
    package var province = "HP"
    package var facility = "CATHAI"
    /// The measurement interval one file covers.
    package var interval: Duration = .seconds(300)
    /// How long after an interval closes its file is made, so late readings are in it.
    package var delay: Duration = .seconds(60)
    /// The interval's value: the mean of its readings, or the last.
    package var value = ValueChoice.mean
    /// The time in the file name and lines: the interval's end (the logger's time of the mean) or start.
    package var timeLabel = TimeLabel.end
    /// Digits after the decimal point.
    package var decimals = 2
    /// The journal and the gauge say so when the oldest unsent file is older than this.
    package var backlogAlarm: Duration = .seconds(300)
    /// Sent files are kept in the outbox at least this many days (TT 10/2021: 60).
    package var keepDays = 60
    package var stations: [StationSettings] = []
    package var targets: [TargetSettings] = []
    /// Parameter code and unit per metric: the defaults for the shipped metrics, then the file's.
    package var parameters: [String: ParameterCode] = ParameterCode.defaults

    package init() {}

    package enum ValueChoice: String, Hashable, Sendable, CaseIterable { case mean, last }
    package enum TimeLabel: String, Hashable, Sendable, CaseIterable { case end, start }

    /// Whether anything is to be sent at all.
    package var isEnabled: Bool { !stations.isEmpty && !targets.isEmpty }
}

/// A station as the Sở knows it: its code and the sensors whose metrics make its lines.
package struct StationSettings: Hashable, Sendable {
    package var id: String
    package var site: String
    /// In order: of two sensors measuring one metric, the first listed gives the line.
    package var sensors: [String]
}

/// Where files (or webhooks) go: FTP, FTPS, SFTP, HTTP(S).
package struct TargetSettings: Hashable, Sendable {
    package var id: String
    package var url: String
    package var username: String?
    /// The password is read from this file (systemd `LoadCredential=`), never from the config.
    package var passwordFile: String?
    /// `ftp://` with AUTH TLS required (explicit FTPS); `ftps://` is implicit TLS.
    package var requireTLS = false
    package var caFile: String?
    package var privateKey: String?
    package var publicKey: String?
    /// SFTP: the server's host key, SHA-256 fingerprint in base64 (as `ssh-keygen -l` prints it,
    /// without the `SHA256:` prefix).
    package var hostKeySHA256: String?
    package var knownHosts: String?
    /// Stations sent to this target (all when empty).
    package var stations: [String] = []
    package var timeout: Duration = .seconds(30)
    /// Backoff after a failure: from the first, doubling up to the second.
    package var retryMinimum: Duration = .seconds(5)
    package var retryMaximum: Duration = .seconds(300)
}

/// A metric's parameter code and unit in the data file.
package struct ParameterCode: Hashable, Sendable {
    package var code: String
    package var unit: String

    package init(code: String, unit: String) {
        self.code = code
        self.unit = unit
    }

    /// Codes as monitoring stations in Vietnam send them (chosen without the circular's appendix
    /// at hand: each can be changed in `[transmission.parameters]`).
    package static let defaults: [String: ParameterCode] = [
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
package struct WebhookSettings: Hashable, Sendable {
    package var id: String
    package var target: TargetSettings
    /// Only these severities (all when empty): info, warning, critical.
    package var severities: Set<String> = []
    /// Only alerts of these sites (all when empty).
    package var sites: Set<String> = []
    /// Only these notices (default: raised, escalated, resolved, repeated, acknowledged).
    package var notices: Set<String> = []
    /// The body with `{{field}}` placeholders; nil: the MQTT event's JSON.
    package var template: WebhookTemplate?
    package var contentType = "application/json"
    /// Extra headers (e.g. a relay's token), values read from the config.
    package var headers: [String: String] = [:]
    /// Give up on a transition after this many attempts or this age (the journal says so).
    package var maximumAttempts = 20
    package var maximumAge: Duration = .seconds(86_400)
}
