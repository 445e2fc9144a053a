public import EnvMonCore
internal import Foundation

/// The whole typed configuration of a Cát Hải network, validated in one pass.
public struct EnvMonConfiguration: Sendable {
    public static let currentVersion = 1

    public var source: String
    public var daemon = DaemonSettings()
    public var broker = BrokerSettings()
    /// Topics are `<prefix>/<site>/<sensor>[/<metric>]`; alerts go to `<prefix>/alerts/...`.
    public var topicPrefix = "envmon"
    public var subscriptions: [SubscriptionSettings] = []
    public var ingest = IngestSettings()
    public var retention = RetentionSettings()
    public var sites: [SiteSettings] = []
    public var sensors: [SensorSettings] = []
    public var catalogue = MetricCatalogue.standard
    public var qualityControl = QCThresholdTable(catalogue: .standard)
    public var alertRules: [AlertRule] = DefaultAlertRules.catHai
    public var alerting = AlertingSettings()
    /// Data files for the Sở TN&MT (TT 10/2021) and where they go.
    public var transmission = TransmissionSettings()
    /// Alert transitions POSTed to HTTP(S) relays.
    public var webhooks: [WebhookSettings] = []
    /// The web console (`envmon serve`).
    public var web = WebSettings()

    public init(source: String) { self.source = source }

    /// Loads and validates a config file; every problem is reported with its key path and line.
    public static func load(path: String) throws(ConfigError) -> EnvMonConfiguration {
        // An empty file is refused without reading it: swift-foundation's contents(atPath:) leaks
        // its buffer for a zero-length file (found by the config fuzzer; Fuzz/README.md).
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber, size == 0 {
            throw ConfigError([
                ConfigIssue(path: "", message: "\(path): the config file is empty (only blank lines or comments)")
            ])
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError([ConfigIssue(path: "", message: "\(path): cannot read the config file")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError([ConfigIssue(path: "", message: "\(path): not UTF-8 text")])
        }
        return try parse(text, source: path)
    }

    public static func parse(_ text: String, source: String) throws(ConfigError) -> EnvMonConfiguration {
        // An empty file is almost always a mistake (a truncated copy, the wrong path): running on
        // defaults would mean no sites, no sensors and a database somewhere unexpected.
        let content = text.split(whereSeparator: \.isNewline).contains { line in
            let trimmed = line.trimmingSpaces
            return !trimmed.isEmpty && !trimmed.hasPrefix("#")
        }
        guard content else {
            throw ConfigError([
                ConfigIssue(path: "", message: "\(source): the config file is empty (only blank lines or comments)")
            ])
        }
        let root = try ConfigNode.parse(text, source: source)
        let reader = ConfigReader(locator: KeyLocator(text: text))
        let configuration = ConfigurationBuilder(reader: reader, source: source).build(root)
        guard reader.issues.isEmpty else { throw ConfigError(reader.issues) }
        return configuration
    }

    public func site(_ id: String) -> SiteSettings? { sites.first { $0.id == id } }
    public func sensor(_ id: String) -> SensorSettings? { sensors.first { $0.id == id } }

    /// The sensors the alert engine watches (for no-data from start, site kinds for rules).
    public var monitoredSensors: [MonitoredSensor] {
        sensors.map { sensor in
            MonitoredSensor(
                id: sensor.id, site: sensor.site, siteKind: site(sensor.site).map { SiteKind($0.kind.rawValue) },
                metrics: sensor.metrics)
        }
    }

    public var siteKinds: [String: SiteKind] {
        Dictionary(uniqueKeysWithValues: sites.map { ($0.id, SiteKind($0.kind.rawValue)) })
    }

    /// What validation needs to know of each configured sensor.
    public var sensorProfiles: [String: SensorProfile] {
        Dictionary(
            uniqueKeysWithValues: sensors.map { sensor in
                (
                    sensor.id,
                    SensorProfile(
                        id: sensor.id, site: sensor.site,
                        metricAliases: Dictionary(
                            sensor.aliases.map { ($0.key.lowercased(), $0.value) },
                            uniquingKeysWith: { first, _ in first }),
                        intervalSeconds: Double(sensor.interval.wholeMilliseconds) / 1000)
                )
            })
    }
}
