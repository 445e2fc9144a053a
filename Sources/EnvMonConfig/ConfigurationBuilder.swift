internal import EnvMonCore

/// Reads each section of the file into `EnvMonConfiguration`, then checks cross-references
/// (a sensor's site exists, its metrics are known, ids are unique).
struct ConfigurationBuilder {
    let reader: ConfigReader
    let source: String

    private static let identifierCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:")

    func build(_ root: ConfigNode) -> EnvMonConfiguration {
        var configuration = EnvMonConfiguration(source: source)
        let top = TableReader(root, path: "", reader: reader)
        if let version = top.integer("config_version"), version != EnvMonConfiguration.currentVersion {
            reader.report(
                "config_version",
                "this envmond understands version \(EnvMonConfiguration.currentVersion), the file says \(version)")
        }
        if let prefix = top.string("topic_prefix") {
            if prefix.contains("+") || prefix.contains("#") || prefix.hasSuffix("/") {
                reader.report("topic_prefix", "must be a plain topic path without wildcards or a trailing '/'")
            } else {
                configuration.topicPrefix = prefix
            }
        }
        if let daemon = top.table("daemon") { configuration.daemon = readDaemon(daemon) }
        if let store = top.table("store") {
            readStore(
                store, into: &configuration.daemon, daemonNamesDatabase: top.table("daemon")?.has("database") == true)
        }
        if let broker = top.table("broker") { configuration.broker = readBroker(broker) }
        configuration.subscriptions = top.tables("subscriptions").compactMap(readSubscription)
        if configuration.subscriptions.isEmpty && !top.has("subscriptions") {
            let prefix = configuration.topicPrefix
            configuration.subscriptions = [
                SubscriptionSettings(topic: "\(prefix)/+/+/+", format: .plain, qos: 1),
                SubscriptionSettings(topic: "\(prefix)/+/+", format: .auto, qos: 1),
            ]
        }
        if let ingest = top.table("ingest") { configuration.ingest = readIngest(ingest) }
        if let retention = top.table("retention") { configuration.retention = readRetention(retention) }

        configuration.catalogue = readMetrics(top, into: configuration.catalogue)
        configuration.sites = top.tables("sites").compactMap(readSite)
        configuration.sensors = top.tables("sensors").enumerated().compactMap { index, table in
            readSensor(table, sites: configuration.sites, catalogue: configuration.catalogue)
        }
        reportDuplicates(configuration.sites.map(\.id), key: "sites")
        reportDuplicates(configuration.sensors.map(\.id), key: "sensors")
        configuration.qualityControl = buildQualityControl(top, configuration: configuration)
        (configuration.alertRules, configuration.alerting) = readAlertRules(
            top, catalogue: configuration.catalogue, sensors: configuration.sensors.map(\.id))
        if let transmission = top.table("transmission") {
            configuration.transmission = readTransmission(transmission, configuration: configuration)
            // TT 10/2021: the station keeps at least the latest 60 days of readings.
            if configuration.transmission.isEnabled, let days = configuration.retention.rawDays, days > 0, days < 60 {
                reader.report(
                    "retention.raw_days",
                    "\(days) days is less than the 60 days of readings TT 10/2021 asks a transmitting station to keep")
            }
        }
        configuration.webhooks = top.tables("webhooks").compactMap { readWebhook($0, configuration: configuration) }
        reportDuplicates(configuration.webhooks.map(\.id), key: "webhooks")
        if let web = top.table("web") { configuration.web = readWeb(web) }
        top.rejectUnknownKeys()
        return configuration
    }

    private func readWeb(_ table: TableReader) -> WebSettings {
        var settings = WebSettings()
        if let value = table.string("listen") {
            if WebSettings.parseListen(value) != nil {
                settings.listen = value
            } else {
                reader.report(
                    table.keyPath("listen"),
                    "\"\(value)\" must be host:port, e.g. \"127.0.0.1:8080\" or \"192.168.1.10:8080\"")
            }
        }
        if let value = table.string("users_file") { settings.usersFile = value }
        if let value = table.duration("session_lifetime") {
            if value >= .seconds(60) && value <= .seconds(30 * 86400) {
                settings.sessionLifetime = value
            } else {
                reader.report(table.keyPath("session_lifetime"), "must be between 1m and 30d")
            }
        }
        if let value = table.bool("secure_cookie") { settings.secureCookie = value }
        if let value = table.integer("stale_intervals", in: 1...1000) { settings.staleIntervals = value }
        table.rejectUnknownKeys()
        return settings
    }

    private func readDaemon(_ table: TableReader) -> DaemonSettings {
        var settings = DaemonSettings()
        if let value = table.string("database") { settings.database = value }
        if let value = table.string("state_directory") { settings.stateDirectory = value }
        if let value = table.string("log_level") {
            let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
            if levels.contains(value) {
                settings.logLevel = value
            } else {
                reader.report(
                    table.keyPath("log_level"), "\"\(value)\" is not one of \(levels.joined(separator: ", "))")
            }
        }
        if let value = table.duration("statistics_interval") { settings.statisticsInterval = value }
        if let value = table.string("metrics_listen") {
            // Loopback only: the figures are for the operator's own Prometheus or curl, not the network.
            let host = value.split(separator: ":").dropLast().joined(separator: ":")
            let port = value.split(separator: ":").last.flatMap { Int($0) }
            if ["localhost", "[::1]"].contains(host) || Self.isIPv4Loopback(host), let port,
                (1...65535).contains(port)
            {
                settings.metricsListen = value
            } else {
                reader.report(
                    table.keyPath("metrics_listen"),
                    "\"\(value)\" must be a loopback host:port such as \"127.0.0.1:9464\"")
            }
        }
        table.rejectUnknownKeys()
        return settings
    }

    /// `[store] url`: where the store is, a PostgreSQL URL or `sqlite:PATH` (the same as
    /// `[daemon] database`, under a name that says what it is once the store is a server).
    private func readStore(_ table: TableReader, into settings: inout DaemonSettings, daemonNamesDatabase: Bool) {
        if let url = table.string("url") {
            let schemes = ["postgres://", "postgresql://", "sqlite:"]
            if daemonNamesDatabase {
                reader.report(table.keyPath("url"), "and daemon.database both say where the store is: keep one")
            } else if !schemes.contains(where: { url.hasPrefix($0) }) {
                reader.report(
                    table.keyPath("url"),
                    "\"\(url)\" must be postgres://USER@HOST[:PORT]/DATABASE[?sslmode=...&passfile=PATH] or sqlite:PATH"
                )
            } else {
                settings.database = url
            }
        }
        table.rejectUnknownKeys()
    }

    private func readBroker(_ table: TableReader) -> BrokerSettings {
        var settings = BrokerSettings()
        if let url = table.string("url") {
            if let problem = Self.brokerURLProblem(url) {
                reader.report(table.keyPath("url"), "\"\(url)\" \(problem)")
            } else {
                settings.url = url
            }
        }
        if let value = table.string("client_id") {
            if value.isEmpty || value.utf8.count > 128 {
                reader.report(table.keyPath("client_id"), "must be 1 to 128 characters")
            } else {
                settings.clientID = value
            }
        }
        if let value = table.choice("protocol", as: MQTTProtocolVersion.self) { settings.protocolVersion = value }
        settings.username = table.string("username")
        settings.passwordFile = table.string("password_file")
        refuseInlinePassword(table)
        settings.caFile = table.string("ca_file")
        settings.certificateFile = table.string("cert_file")
        settings.keyFile = table.string("key_file")
        // TLS files with a plain mqtt:// URL were once dropped without a word: the daemon then
        // talked to the broker in the clear while the config said otherwise.
        if !settings.url.lowercased().hasPrefix("mqtts://") {
            for key in ["ca_file", "cert_file", "key_file"] where table.has(key) {
                reader.report(
                    table.keyPath(key),
                    "TLS file given, but broker.url is \(settings.url): use an mqtts:// URL, or remove the key")
            }
        }
        if (settings.certificateFile == nil) != (settings.keyFile == nil) {
            let given = settings.certificateFile == nil ? "key_file" : "cert_file"
            reader.report(table.keyPath(given), "cert_file and key_file go together (a client certificate and its key)")
        }
        if let value = table.duration("session_expiry") { settings.sessionExpiry = value }
        if let value = table.duration("keepalive") { settings.keepAlive = value }
        if let value = table.duration("reconnect_min") { settings.reconnectMinimum = value }
        if let value = table.duration("reconnect_max") { settings.reconnectMaximum = value }
        if settings.reconnectMinimum > settings.reconnectMaximum {
            reader.report(table.keyPath("reconnect_min"), "is longer than reconnect_max")
        }
        table.rejectUnknownKeys()
        return settings
    }

    private func readSubscription(_ table: TableReader) -> SubscriptionSettings? {
        defer { table.rejectUnknownKeys() }
        guard let topic = table.requiredString("topic") else { return nil }
        if let problem = Self.topicFilterProblem(topic) {
            reader.report(table.keyPath("topic"), "\"\(topic)\" \(problem)")
            return nil
        }
        let format = table.choice("format", as: PayloadFormat.self) ?? .auto
        let qos = table.integer("qos", in: 0...2) ?? 1
        let precision = table.choice("precision", as: TimePrecision.self) ?? .nanoseconds
        return SubscriptionSettings(topic: topic, format: format, qos: qos, precision: precision)
    }

    private func readIngest(_ table: TableReader) -> IngestSettings {
        var settings = IngestSettings()
        if let value = table.integer("batch_size", in: 1...100_000) { settings.batchSize = value }
        if let value = table.duration("flush_interval") { settings.flushInterval = value }
        if let value = table.integer("handoff_capacity", in: 16...1_000_000) { settings.handoffCapacity = value }
        if let value = table.integer("handoff_mebibytes", in: 1...4096) { settings.handoffBytes = value * 1024 * 1024 }
        if let value = table.integer("max_payload_bytes", in: 64...16 * 1024 * 1024) {
            settings.maximumPayloadBytes = value
        }
        if let value = table.choice("inbox_fsync", as: InboxSyncPolicy.self) { settings.inboxSync = value }
        if let value = table.integer("inbox_segment_mebibytes", in: 1...4096) {
            settings.inboxSegmentBytes = value * 1024 * 1024
        }
        if let value = table.bool("reject_unknown_sensors") { settings.rejectUnknownSensors = value }
        if let value = table.duration("max_future_skew") { settings.maximumFutureSkew = value }
        if let value = table.duration("max_age") { settings.maximumAge = value }
        if let value = table.integer("max_sensors", in: 1...10_000_000) { settings.maximumSensors = value }
        table.rejectUnknownKeys()
        return settings
    }

    private func readRetention(_ table: TableReader) -> RetentionSettings {
        var settings = RetentionSettings()
        // 0 keeps a level for ever.
        func days(_ key: String, _ current: Int?) -> Int? {
            guard table.has(key) else { return current }
            guard let value = table.integer(key, in: 0...100_000) else { return current }
            return value == 0 ? nil : value
        }
        settings.rawDays = days("raw_days", settings.rawDays)
        settings.minuteDays = days("minute_days", settings.minuteDays)
        settings.hourDays = days("hour_days", settings.hourDays)
        settings.dayDays = days("day_days", settings.dayDays)
        settings.rejectDays = days("reject_days", settings.rejectDays)
        if let rows = table.integer("reject_rows", in: 100...100_000_000) { settings.rejectRows = rows }
        if let mebibytes = table.integer("reject_mebibytes", in: 1...1_000_000) { settings.rejectMebibytes = mebibytes }
        // A settled QC verdict on a raw reading rebuilds its minute roll-up, which must still exist.
        if let raw = settings.rawDays, let minutes = settings.minuteDays, minutes < raw {
            reader.report(table.keyPath("minute_days"), "must be at least raw_days (\(raw)) or 0 (keep for ever)")
        }
        if settings.rawDays == nil, settings.minuteDays != nil {
            reader.report(
                table.keyPath("minute_days"), "must be 0 (keep for ever) while raw_days keeps raw readings for ever")
        }
        table.rejectUnknownKeys()
        return settings
    }

    /// `[metrics.<id>]` tables: QC overrides and aliases for known metrics, or new metrics
    /// (which must then give unit, dimension and names).
    private func readMetrics(_ top: TableReader, into catalogue: MetricCatalogue) -> MetricCatalogue {
        var catalogue = catalogue
        guard let metrics = top.table("metrics") else { return catalogue }
        for id in metrics.keys {
            guard let table = metrics.table(id) else { continue }
            if var definition = catalogue.definition(named: id), definition.id == id {
                if let aliases = table.stringArray("aliases") { definition.aliases += aliases }
                if let unit = table.string("unit"), unit != definition.unit {
                    reader.report(
                        table.keyPath("unit"),
                        "the unit of built-in metric \"\(id)\" is \(definition.unit) and cannot be changed")
                }
                _ = table.node("qc")  // read with the QC tables
                catalogue.add(definition)
            } else {
                guard isIdentifier(id) else {
                    reader.report(table.path, "metric id must use only letters, digits, - _ . :")
                    continue
                }
                let unit = table.requiredString("unit")
                let dimension = table.choice("dimension", as: PhysicalDimension.self) ?? .dimensionless
                let medium = table.choice("medium", as: MetricDefinition.Medium.self) ?? .device
                let name = table.string("name") ?? id
                let nameVietnamese = table.string("name_vi") ?? name
                let aliases = table.stringArray("aliases") ?? []
                _ = table.node("qc")
                if let unit {
                    catalogue.add(
                        MetricDefinition(
                            id: id, nameEnglish: name, nameVietnamese: nameVietnamese, unit: unit, dimension: dimension,
                            medium: medium, aliases: aliases, qc: QCThresholds()))
                }
            }
            table.rejectUnknownKeys()
        }
        return catalogue
    }

    private func readSite(_ table: TableReader) -> SiteSettings? {
        defer { table.rejectUnknownKeys() }
        guard let id = table.requiredString("id") else { return nil }
        guard isIdentifier(id) else {
            reader.report(
                table.keyPath("id"), "\"\(id)\" must use only letters, digits, - _ . : (it appears in MQTT topics)")
            return nil
        }
        let name = table.string("name") ?? id
        let kind = table.choice("kind", as: SiteSettings.Kind.self) ?? .coast
        let latitude = table.number("lat")
        let longitude = table.number("lon")
        if let latitude, !(-90...90).contains(latitude) {
            reader.report(table.keyPath("lat"), "must be within -90...90")
        }
        if let longitude, !(-180...180).contains(longitude) {
            reader.report(table.keyPath("lon"), "must be within -180...180")
        }
        _ = table.node("qc")
        _ = table.node("basis")
        return SiteSettings(
            id: id, name: name, kind: kind, latitude: latitude, longitude: longitude, commune: table.string("commune"))
    }

    private func readSensor(_ table: TableReader, sites: [SiteSettings], catalogue: MetricCatalogue) -> SensorSettings?
    {
        defer { table.rejectUnknownKeys() }
        guard let id = table.requiredString("id"), let site = table.requiredString("site") else { return nil }
        if !isIdentifier(id) {
            reader.report(
                table.keyPath("id"), "\"\(id)\" must use only letters, digits, - _ . : (it appears in MQTT topics)")
        }
        if !sites.contains(where: { $0.id == site }) {
            reader.report(table.keyPath("site"), "unknown site \"\(site)\"")
        }
        let metrics = table.stringArray("metrics") ?? []
        if metrics.isEmpty { reader.report(table.keyPath("metrics"), "must list at least one metric") }
        for (index, metric) in metrics.enumerated() where !catalogue.contains(id: metric) {
            reader.report("\(table.keyPath("metrics"))[\(index)]", "unknown metric \"\(metric)\"")
        }
        let interval = table.duration("interval") ?? .seconds(60)
        if interval <= .zero { reader.report(table.keyPath("interval"), "must be longer than zero") }
        var aliases: [String: String] = [:]
        if let aliasTable = table.table("aliases") {
            for alias in aliasTable.keys {
                guard let metric = aliasTable.string(alias) else { continue }
                if catalogue.contains(id: metric) {
                    aliases[alias] = metric
                } else {
                    reader.report(aliasTable.keyPath(alias), "unknown metric \"\(metric)\"")
                }
            }
        }
        _ = table.node("qc")
        let statusField = table.string("status_field")
        if let statusField {
            if statusField.isEmpty || ["ts", "seq", "sensor", "site"].contains(statusField) {
                reader.report(
                    table.keyPath("status_field"),
                    "\"\(statusField)\" cannot carry the device status (empty, or a reserved member: ts, seq, sensor, site)"
                )
            } else if metrics.contains(statusField) || aliases[statusField] != nil {
                reader.report(
                    table.keyPath("status_field"), "\"\(statusField)\" is also a metric or alias of this sensor")
            }
        }
        var sensor = SensorSettings(
            id: id, site: site, model: table.string("model"), metrics: metrics, interval: interval, aliases: aliases)
        sensor.statusField = statusField
        return sensor
    }

    /// A password written into the config would be readable by everyone who reads the config.
    func refuseInlinePassword(_ table: TableReader) {
        guard table.has("password") else { return }
        _ = table.node("password")
        reader.report(
            table.keyPath("password"),
            "put the password in a file and name it with password_file (systemd LoadCredential=), not in the config")
    }

    func reportDuplicates(_ ids: [String], key: String) {
        var seen: Set<String> = []
        for (index, id) in ids.enumerated() where !seen.insert(id).inserted {
            reader.report("\(key)[\(index)].id", "duplicate id \"\(id)\"")
        }
    }

    func isIdentifier(_ text: String) -> Bool {
        guard let first = text.first, first.isLetter || first.isNumber, text.count <= 64 else { return false }
        return text.allSatisfy { Self.identifierCharacters.contains($0) }
    }

    /// `127.a.b.c` written as numbers: a host *name* starting with "127." could resolve anywhere.
    static func isIPv4Loopback(_ host: String) -> Bool {
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.first == "127"
            && octets.allSatisfy { !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCII) && (UInt8($0) != nil) }
    }

    /// Why a broker URL cannot work, checked here so `envmon check-config` catches it and not only
    /// the daemon's start: scheme, host, and a port in range.
    static func brokerURLProblem(_ url: String) -> String? {
        guard url.hasPrefix("mqtt://") || url.hasPrefix("mqtts://") else {
            return "must start with mqtt:// or mqtts://"
        }
        let rest = url.drop { $0 != "/" }.dropFirst(2)
        let authority = rest.prefix { $0 != "/" }
        guard rest.dropFirst(authority.count).allSatisfy({ $0 == "/" }) else { return "must not have a path" }
        var host = Substring(authority)
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return "has an unclosed IPv6 address" }
            host = authority[authority.startIndex...close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return "has text after the IPv6 address" }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        guard !host.isEmpty else { return "has no host" }
        if host.contains(where: { $0 == "@" || $0 == " " }) {
            return "must not carry user or password (use broker.username and broker.password_file)"
        }
        if let portText {
            guard let port = Int(portText), (1...65535).contains(port) else { return "has a port outside 1-65535" }
        }
        return nil
    }

    /// MQTT topic filter rules (MQTT 5 §4.7): `+` and `#` only as a whole level, `#` only last,
    /// no empty filter, no NUL. The broker would refuse the subscription at start otherwise.
    static func topicFilterProblem(_ filter: String) -> String? {
        if filter.isEmpty { return "must not be empty" }
        if filter.utf8.contains(0) { return "must not contain NUL" }
        let levels = filter.split(separator: "/", omittingEmptySubsequences: false)
        for (index, level) in levels.enumerated() {
            if level.contains("#") && (level != "#" || index != levels.count - 1) {
                return "is not a valid topic filter: # must be a whole level and the last one"
            }
            if level.contains("+") && level != "+" {
                return "is not a valid topic filter: + must be a whole level"
            }
        }
        return nil
    }
}
