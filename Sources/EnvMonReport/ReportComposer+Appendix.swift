/// The appendix: how the figures were worked out, then each station's AQI day by day.
extension ReportComposer {
    func appendix() -> [ReportBlock] {
        let appendix = words.appendix
        let method = [
            appendix.completeness(format.date(document.dataUntil.adding(milliseconds: -1))),
            appendix.exceedance(ReportThresholds.minimumHoursPerDay), appendix.aqi,
            appendix.thresholds(
                format.percent(ReportThresholds.poorCompleteness), format.percent(ReportThresholds.highFailShare),
                format.percent(ReportThresholds.frequentExceedanceShare)),
        ]
        var blocks: [ReportBlock] = [.heading(level: 2, text: appendix.methodHeading), .bullets(method)]
        if !document.airQuality.isEmpty {
            blocks.append(.heading(level: 2, text: appendix.aqiHeading))
            for station in document.airQuality {
                blocks.append(.paragraph(appendix.station(station.sensor, station.siteName)))
                blocks.append(dailyAQITable(station))
            }
        }
        return blocks
    }

    /// A station's days, each row coloured as its AQI category.
    func dailyAQITable(_ station: ReportDocument.StationAQI) -> ReportBlock {
        .table(
            ReportTable(
                headers: words.appendix.dayHeaders,
                rows: station.days.map { day in
                    guard let aqi = day.aqi else {
                        return [format.date(day.day), "–", words.names.insufficientData, "–", "–"]
                    }
                    return [
                        format.date(day.day), String(aqi.value), aqi.category.name(language),
                        aqi.category.colourName(language), aqi.dominant.displayName,
                    ]
                }, numericColumns: [1], rowColours: station.days.map { $0.aqi?.category.colour.hex }))
    }
}
