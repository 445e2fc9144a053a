package import EnvMonCore
internal import Foundation

/// The whole typed configuration of a Cát Hải network, validated in one pass.
package struct EnvMonConfiguration: Sendable {
    package static let currentVersion = 1

    package var source: String
    package var daemon = DaemonSettings()
    package var broker = BrokerSettings()
    /// Topics are `<prefix>/<site>/<sensor>[/<metric>]`; alerts go to `<prefix>/alerts/...`.
    package var topicPrefix = "envmon"
    package var subscriptions: [SubscriptionSettings] = []
    package var ingest = IngestSettings()
    package var retention = RetentionSettings()
    package var sites: [SiteSettings] = []
    package var sensors: [SensorSettings] = []
    package var catalogue = MetricCatalogue.standard
    package var qualityControl = QCThresholdTable(catalogue: .standard)
    package var alertRules: [AlertRule] = DefaultAlertRules.catHai
    package var alerting = AlertingSettings()
    /// Data files for the Sở TN&MT (TT 10/2021) and where they go.
    package var transmission = TransmissionSettings()
    /// Alert transitions POSTed to HTTP(S) relays.
    package var webhooks: [WebhookSettings] = []
    /// The web console (`envmon serve`).
    package var web = WebSettings()

    package init(source: String) { self.source = source }

    /// Loads and validates a config file; every problem is reported with its key path and line.
    package static func load(path: String) throws(ConfigError) -> EnvMonConfiguration {
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

    package static func parse(_ text: String, source: String) throws(ConfigError) -> EnvMonConfiguration {
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

    package func site(_ id: String) -> SiteSettings? { sites.first { $0.id == id } }
    package func sensor(_ id: String) -> SensorSettings? { sensors.first { $0.id == id } }

    /// The sensors the alert engine watches (for no-data from start, site kinds for rules).
    package var monitoredSensors: [MonitoredSensor] {
        sensors.map { sensor in
            MonitoredSensor(
                id: sensor.id, site: sensor.site, siteKind: site(sensor.site).map { SiteKind($0.kind.rawValue) },
                metrics: sensor.metrics)
        }
    }

    package var siteKinds: [String: SiteKind] {
        Dictionary(uniqueKeysWithValues: sites.map { ($0.id, SiteKind($0.kind.rawValue)) })
    }

    /// What validation needs to know of each configured sensor.
    package var sensorProfiles: [String: SensorProfile] {
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
