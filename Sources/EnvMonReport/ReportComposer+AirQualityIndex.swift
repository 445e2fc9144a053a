internal import EnvMonCore

/// Section I.3's VN_AQI part: days per category at each station, and a calendar of each.
extension ReportComposer {
    func airQualityIndexBlocks() -> [ReportBlock] {
        guard !document.airQuality.isEmpty else { return [] }
        let environment = words.environment
        let categories = VNAQI.Category.allCases
        let table = ReportTable(
            headers: [environment.station] + categories.map { $0.name(language) }
                + [words.names.insufficientData, environment.highestAQI],
            rows: document.airQuality.map { station in
                let counts = station.daysPerCategory
                let worst = station.maximum.map { day in
                    "\(day.aqi!.value) (\(format.date(day.day)), \(day.aqi!.dominant.displayName))"
                }
                return ["\(station.sensor) — \(station.siteName)"]
                    + categories.map { String(counts[$0] ?? 0) } + [String(station.daysWithoutIndex)]
                    + [worst ?? "–"]
            }, numericColumns: Set(1...(categories.count + 2)))
        let calendars = document.airQuality.map { station in
            ReportBlock.chart(
                .aqiCalendar(station, title: environment.aqiCalendar(station.sensor, station.siteName)))
        }
        return [.paragraph(environment.aqiIntroduction), .table(table)] + calendars
    }
}
