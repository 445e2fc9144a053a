internal import EnvMonCore

extension ConfigurationBuilder {
    /// Characters a code may use where it becomes part of a file name (`_` separates the fields).
    static func isFileNameCode(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 40
            && text.unicodeScalars.allSatisfy {
                ($0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil)) || $0 == "-"
            }
    }

    func readTransmission(_ table: TableReader, configuration: EnvMonConfiguration) -> TransmissionSettings {
        defer { table.rejectUnknownKeys() }
        var settings = TransmissionSettings()
        for key in ["province", "facility"] {
            guard let code = table.string(key) else { continue }
            if Self.isFileNameCode(code) {
                if key == "province" { settings.province = code } else { settings.facility = code }
            } else {
                reader.report(
                    table.keyPath(key), "\"\(code)\" must be 1 to 40 letters, digits or - (it is part of the file name)"
                )
            }
        }
        if let interval = table.duration("interval") {
            if interval < .seconds(60) || interval.wholeMilliseconds % 60_000 != 0 {
                reader.report(
                    table.keyPath("interval"), "must be a whole number of minutes (the roll-ups are per minute)")
            } else {
                settings.interval = interval
            }
        }
        if let delay = table.duration("delay") { settings.delay = delay }
        if let value = table.choice("value", as: TransmissionSettings.ValueChoice.self) { settings.value = value }
        if let label = table.choice("time_label", as: TransmissionSettings.TimeLabel.self) {
            settings.timeLabel = label
        }
        if let decimals = table.integer("decimals", in: 0...6) { settings.decimals = decimals }
        if let alarm = table.duration("backlog_alarm") { settings.backlogAlarm = alarm }
        if let days = table.integer("keep_days", in: 60...3650) { settings.keepDays = days }
        if let parameters = table.table("parameters") {
            for metric in parameters.keys {
                guard let entry = parameters.table(metric) else { continue }
                defer { entry.rejectUnknownKeys() }
                if !configuration.catalogue.contains(id: metric) {
                    reader.report(parameters.keyPath(metric), "unknown metric \"\(metric)\"")
                }
                let fallback = settings.parameters[metric]
                let code = entry.string("code") ?? fallback?.code
                let unit =
                    entry.string("unit") ?? fallback?.unit ?? configuration.catalogue.definition(named: metric)?.unit
                guard let code, let unit else {
                    reader.report(entry.keyPath("code"), "a parameter code is needed for \"\(metric)\"")
                    continue
                }
                for (key, text) in [("code", code), ("unit", unit)]
                where text.isEmpty || text.contains(where: { $0 == "\t" || $0.isNewline }) {
                    reader.report(entry.keyPath(key), "must be non-empty and without tabs or line breaks")
                }
                settings.parameters[metric] = ParameterCode(code: code, unit: unit)
            }
        }
        settings.stations = table.tables("stations").compactMap { readStation($0, configuration: configuration) }
        reportDuplicates(settings.stations.map(\.id), key: "transmission.stations")
        let stationIDs = Set(settings.stations.map(\.id))
        settings.targets = table.tables("targets").compactMap { target in
            readTarget(target, schemes: ["ftp", "ftps", "sftp"], stations: stationIDs)
        }
        reportDuplicates(settings.targets.map(\.id), key: "transmission.targets")
        return settings
    }

    private func readStation(_ table: TableReader, configuration: EnvMonConfiguration) -> StationSettings? {
        defer { table.rejectUnknownKeys() }
        guard let id = table.requiredString("id"), let site = table.requiredString("site") else { return nil }
        if !Self.isFileNameCode(id) {
            reader.report(
                table.keyPath("id"), "\"\(id)\" must be 1 to 40 letters, digits or - (it is part of the file name)")
        }
        guard configuration.site(site) != nil else {
            reader.report(table.keyPath("site"), "unknown site \"\(site)\"")
            return nil
        }
        let sensors = table.stringArray("sensors") ?? configuration.sensors.filter { $0.site == site }.map(\.id)
        for (index, sensor) in sensors.enumerated() where configuration.sensor(sensor) == nil {
            reader.report("\(table.keyPath("sensors"))[\(index)]", "unknown sensor \"\(sensor)\"")
        }
        if sensors.isEmpty { reader.report(table.keyPath("sensors"), "the station has no sensors") }
        return StationSettings(id: id, site: site, sensors: sensors)
    }

    func readTarget(_ table: TableReader, schemes: Set<String>, stations: Set<String>? = nil) -> TargetSettings? {
        defer { if stations != nil { table.rejectUnknownKeys() } }
        guard let id = table.requiredString("id"), let url = table.requiredString("url") else { return nil }
        var target = TargetSettings(id: id, url: url)
        let scheme = url.split(separator: ":", maxSplits: 1).first.map { $0.lowercased() } ?? ""
        if !url.contains("://") || !schemes.contains(scheme) {
            reader.report(
                table.keyPath("url"),
                "\"\(url)\" must start with \(schemes.sorted().map { "\($0)://" }.joined(separator: ", "))")
        } else if let authority = url.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first,
            authority.contains("@")
        {
            reader.report(table.keyPath("url"), "must not carry user or password (use username and password_file)")
        }
        if ["ftp", "ftps", "sftp"].contains(scheme), !url.hasSuffix("/") {
            reader.report(table.keyPath("url"), "must name a directory, ending in \"/\"")
        }
        target.username = table.string("username")
        target.passwordFile = table.string("password_file")
        refuseInlinePassword(table)
        target.requireTLS = table.bool("require_tls") ?? false
        if target.requireTLS, scheme != "ftp" {
            reader.report(
                table.keyPath("require_tls"), "only for ftp:// (explicit TLS); ftps:// and https:// always use TLS")
        }
        target.caFile = table.string("ca_file")
        target.privateKey = table.string("private_key")
        target.publicKey = table.string("public_key")
        target.hostKeySHA256 = table.string("host_key_sha256").map {
            $0.hasPrefix("SHA256:") ? String($0.dropFirst(7)) : $0
        }
        target.knownHosts = table.string("known_hosts")
        if scheme == "sftp", target.hostKeySHA256 == nil, target.knownHosts == nil {
            reader.report(
                table.keyPath("host_key_sha256"),
                "an SFTP target needs the server's host key (host_key_sha256 or known_hosts): otherwise anyone on the path could take the files"
            )
        }
        if let timeout = table.duration("timeout") { target.timeout = timeout }
        if let minimum = table.duration("retry_min") { target.retryMinimum = max(minimum, .milliseconds(100)) }
        if let maximum = table.duration("retry_max") { target.retryMaximum = max(maximum, target.retryMinimum) }
        if let stations {
            target.stations = table.stringArray("stations") ?? []
            for (index, station) in target.stations.enumerated() where !stations.contains(station) {
                reader.report("\(table.keyPath("stations"))[\(index)]", "unknown station \"\(station)\"")
            }
        }
        return target
    }

    func readWebhook(_ table: TableReader, configuration: EnvMonConfiguration) -> WebhookSettings? {
        defer { table.rejectUnknownKeys() }
        guard let target = readTarget(table, schemes: ["http", "https"]) else { return nil }
        var webhook = WebhookSettings(id: target.id, target: target)
        let severities = table.stringArray("severities") ?? []
        for (index, severity) in severities.enumerated() where AlertSeverity(rawValue: severity) == nil {
            reader.report(
                "\(table.keyPath("severities"))[\(index)]", "\"\(severity)\" is not info, warning or critical")
        }
        webhook.severities = Set(severities)
        let sites = table.stringArray("sites") ?? []
        for (index, site) in sites.enumerated() where configuration.site(site) == nil {
            reader.report("\(table.keyPath("sites"))[\(index)]", "unknown site \"\(site)\"")
        }
        webhook.sites = Set(sites)
        let notices = table.stringArray("notices") ?? []
        for (index, notice) in notices.enumerated() where AlertNotice(rawValue: notice)?.isNotification != true {
            reader.report(
                "\(table.keyPath("notices"))[\(index)]",
                "\"\(notice)\" is not a notice sent to people (raised, escalated, deescalated, repeated, resolved, acknowledged)"
            )
        }
        webhook.notices = Set(notices)
        if let type = table.string("content_type") { webhook.contentType = type }
        if let text = table.string("template") {
            do {
                let template = try WebhookTemplate(text)
                // A JSON body must stay JSON whatever the values: try it with awkward ones.
                if webhook.contentType.lowercased().contains("json") {
                    let sample = Dictionary(
                        uniqueKeysWithValues: WebhookTemplate.fields.map { ($0, "a \"quoted\" \\ line\nnext") })
                    do {
                        _ = try JSONParser.parse(template.render(sample))
                    } catch {
                        reader.report(
                            table.keyPath("template"),
                            "does not give JSON (content_type is \(webhook.contentType)): \(error)")
                    }
                }
                webhook.template = template
            } catch {
                reader.report(table.keyPath("template"), "\(error)")
            }
        }
        if let headers = table.table("headers") {
            for name in headers.keys {
                guard let value = headers.string(name) else { continue }
                if value.contains(where: \.isNewline) || name.contains(where: { $0 == ":" || $0.isWhitespace }) {
                    reader.report(
                        headers.keyPath(name), "a header name without ':' or spaces, a value without line breaks")
                }
                webhook.headers[name] = value
            }
        }
        if let attempts = table.integer("max_attempts", in: 1...1000) { webhook.maximumAttempts = attempts }
        if let age = table.duration("max_age") { webhook.maximumAge = age }
        return webhook
    }
}
