internal import EnvMonCore
internal import EnvMonReport

/// One air station's indices for the air page and `/api/v1/aqi`.
struct AirStationView: Sendable {
    struct Hour: Sendable {
        var hour: Timestamp
        var value: Int
        var dominant: String?
    }

    var sensor: String
    var site: String
    var siteName: String
    /// Newest first.
    var hourly: [Hour]
    /// Oldest first (local days).
    var daily: [ReportDocument.DailyAQI]
}

/// `/air`: hourly and daily VN_AQI per air station, in the official colours, with the dominant
/// pollutant (QĐ 1459/QĐ-TCMT).
enum AirPage {
    static func render(_ stations: [AirStationView], frame: PageFrame) -> String {
        let words = frame.words
        let e = PageLayout.escape
        let language: ReportLanguage = frame.language == .vi ? .vietnamese : .english
        var html = "<h1>\(e(words.air))</h1>"
        if stations.isEmpty { html += "<p class=\"empty\">\(e(words.noAirStations))</p>" }
        func cell(_ value: Int) -> String {
            let category = VNAQI.Category(aqi: value)
            let dark = category.rawValue >= VNAQI.Category.bad.rawValue
            return "<td class=\"aqi\" style=\"background:\(category.colour.hex);color:\(dark ? "#fff" : "#000")\""
                + " title=\"\(e(category.name(language)))\">\(value)</td>"
        }
        for station in stations {
            html += "<section class=\"air-station\" data-sensor=\"\(e(station.sensor))\"><h2>\(e(station.siteName))"
            html += " <small>\(e(station.sensor))</small></h2>"
            if let current = station.hourly.first {
                let category = VNAQI.Category(aqi: current.value)
                html += "<p class=\"aqi-now\"><span class=\"aqi-badge\" style=\"background:\(category.colour.hex)\">"
                html += "\(current.value)</span> \(e(category.name(language)))"
                html += current.dominant.map { " · \(e(words.dominant)): \(e(Self.pollutant($0)))" } ?? ""
                html += " · \(PageLayout.time(current.hour))</p>"
            }
            html += "<h3>\(e(words.hourlyAQI))</h3><table class=\"aqi-hours\"><thead><tr><th>\(e(words.hour))</th>"
            html += "<th>VN_AQI</th><th>\(e(words.dominant))</th></tr></thead><tbody>"
            for hour in station.hourly.prefix(24) {
                html +=
                    "<tr><td>\(PageLayout.time(hour.hour))</td>\(cell(hour.value))<td>\(e(hour.dominant.map(Self.pollutant) ?? "–"))</td></tr>"
            }
            if station.hourly.isEmpty { html += "<tr><td colspan=\"3\">\(e(words.noData))</td></tr>" }
            html += "</tbody></table><h3>\(e(words.dailyAQI))</h3><table class=\"aqi-days\"><thead><tr>"
            html += "<th>\(e(words.day))</th><th>VN_AQI</th><th>\(e(words.dominant))</th></tr></thead><tbody>"
            for day in station.daily.reversed() {
                html += "<tr><td>\(e(String(PageLayout.time(day.day).prefix(10))))</td>"
                if let aqi = day.aqi {
                    html += "\(cell(aqi.value))<td>\(e(aqi.dominant.displayName))</td>"
                } else {
                    html += "<td>–</td><td>–</td>"
                }
                html += "</tr>"
            }
            html += "</tbody></table></section>"
        }
        return PageLayout.render(frame, title: words.air, active: "air", body: html)
    }

    /// "PM2.5" for `pm25`: the name on the official boards.
    static func pollutant(_ parameter: String) -> String {
        VNAQI.Parameter(rawValue: parameter)?.pollutant.displayName ?? parameter
    }
}
