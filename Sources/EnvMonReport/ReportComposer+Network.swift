/// Section I: the network, then the environment it measured (I.2, I.3) and its alerts (I.4).
extension ReportComposer {
    func networkSection() -> [ReportBlock] {
        [.heading(level: 1, text: words.network.heading)] + networkOperation() + waterQuality() + airQuality()
            + alertBlocks()
    }

    /// I.1: how much of what the sensors should have sent arrived, and how it fared in QC.
    func networkOperation() -> [ReportBlock] {
        let network = document.network
        let quality = network.quality
        let summary = words.network.summary(
            network.sensorsConfigured, network.sites.count, network.sensorsReporting,
            format.percent(network.completeness), format.integer(network.received), format.integer(network.expected))
        let qualitySummary = words.network.quality(
            format.integer(quality.total), format.percent(quality.share(.pass)),
            format.percent(quality.share(.suspect)), format.percent(quality.share(.fail)),
            format.percent(quality.share(.notEvaluated)))
        var blocks: [ReportBlock] = [
            .heading(level: 2, text: words.network.operationHeading), .paragraph(summary + " " + qualitySummary),
        ]
        if !network.silentSensors.isEmpty {
            blocks.append(.paragraph(words.network.silentSensors(network.silentSensors.joined(separator: ", "))))
        }
        blocks += [siteTable(), sensorTable()]
        if network.sensors.contains(where: { $0.maintenance > 0 }) {
            blocks.append(.paragraph(words.network.maintenanceNote))
        }
        if network.sensors.contains(where: { $0.catchUpReadings > 0 }) {
            blocks.append(.paragraph(words.network.catchUpNote))
        }
        return blocks
    }

    func siteTable() -> ReportBlock {
        .table(
            ReportTable(
                headers: words.network.siteHeaders,
                rows: document.network.sites.map { site in
                    [
                        site.name, words.names.siteKind(site.kind), String(site.sensors.count),
                        "\(format.integer(site.received))/\(format.integer(site.expected))",
                        format.percent(site.completeness),
                    ]
                }, numericColumns: [2, 3, 4]))
    }

    func sensorTable() -> ReportBlock {
        .table(
            ReportTable(
                headers: words.network.sensorHeaders,
                rows: document.network.sensors.map { sensor in
                    [
                        sensor.sensor, sensor.site, format.duration(seconds: sensor.intervalSeconds),
                        "\(format.integer(sensor.received))/\(format.integer(sensor.expected))",
                        format.percent(sensor.completeness), format.percent(sensor.quality.share(.pass)),
                        format.percent(sensor.quality.share(.suspect)), format.percent(sensor.quality.share(.fail)),
                        format.integer(sensor.sequenceMissing), format.integer(sensor.catchUpReadings),
                        format.integer(sensor.maintenance),
                    ]
                }, numericColumns: [3, 4, 5, 6, 7, 8, 9, 10]))
    }
}
