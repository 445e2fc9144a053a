package import EnvMonCore

/// Inline SVG for the HTML edition: no scripts, no fonts to fetch, prints sharply on A4.
package enum SVGChart {
    static let width = 620.0

    /// A time series with its QCVN reference lines (dashed red), for the days or hours of `period`.
    package static func series(
        _ chart: ReportDocument.SeriesChart, from: Timestamp, to: Timestamp, format: ReportFormatter
    ) -> String {
        let height = 190.0
        let left = 48.0
        let right = 12.0
        let top = 12.0
        let bottom = 26.0
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        // Lines of references in force during the period, each over the span it applies to.
        var lines: [(value: Double, start: Timestamp, end: Timestamp)] = []
        for reference in chart.references {
            let start = max(from, reference.validFrom ?? from)
            let end = min(to, reference.validUntil ?? to)
            guard start < end else { continue }
            for value in reference.bound.lines { lines.append((value, start, end)) }
        }
        let values = chart.points.map(\.value) + lines.map(\.value)
        var low = values.min() ?? 0
        var high = values.max() ?? 1
        if low == high {
            low -= 1
            high += 1
        }
        let pad = (high - low) * 0.08
        let ticks = niceTicks(low - pad, high + pad)
        low = min(low - pad, ticks.first ?? low)
        high = max(high + pad, ticks.last ?? high)
        let span = Double(max(1, to.milliseconds - from.milliseconds))
        // Points sit mid-bucket: a day's mean is drawn at noon.
        let bucket = chart.statistic == .hourlyMean ? 3_600_000.0 : 86_400_000.0
        func x(_ time: Timestamp, centred: Bool = false) -> Double {
            left + (Double(time.milliseconds - from.milliseconds) + (centred ? bucket / 2 : 0)) / span * plotWidth
        }
        func y(_ value: Double) -> Double { top + (high - value) / (high - low) * plotHeight }

        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(fmt(width)) \(fmt(height))\" class=\"chart\" role=\"img\">"
        svg +=
            "<rect x=\"\(fmt(left))\" y=\"\(fmt(top))\" width=\"\(fmt(plotWidth))\" height=\"\(fmt(plotHeight))\" fill=\"#fff\" stroke=\"#999\" stroke-width=\"0.6\"/>"
        for tick in ticks where tick >= low && tick <= high {
            svg +=
                "<line x1=\"\(fmt(left))\" x2=\"\(fmt(left + plotWidth))\" y1=\"\(fmt(y(tick)))\" y2=\"\(fmt(y(tick)))\" stroke=\"#e3e3e3\" stroke-width=\"0.5\"/>"
            svg +=
                "<text x=\"\(fmt(left - 4))\" y=\"\(fmt(y(tick) + 3.5))\" text-anchor=\"end\" font-size=\"10\">\(escape(format.number(tick)))</text>"
        }
        // Date ticks: about six labels across the period.
        let days = max(1, Int(span / 86_400_000))
        let everyDays = chart.statistic == .hourlyMean ? 1 : max(1, Int((Double(days) / 6).rounded(.up)))
        var tick = from
        while tick < to {
            let position = x(tick)
            svg +=
                "<line x1=\"\(fmt(position))\" x2=\"\(fmt(position))\" y1=\"\(fmt(top + plotHeight))\" y2=\"\(fmt(top + plotHeight + 4))\" stroke=\"#666\" stroke-width=\"0.6\"/>"
            svg +=
                "<text x=\"\(fmt(position))\" y=\"\(fmt(height - 8))\" text-anchor=\"middle\" font-size=\"10\">\(escape(format.shortDate(tick)))</text>"
            tick = tick.adding(milliseconds: Int64(everyDays) * 86_400_000)
        }
        for line in lines {
            svg +=
                "<line x1=\"\(fmt(x(line.start)))\" x2=\"\(fmt(x(line.end)))\" y1=\"\(fmt(y(line.value)))\" y2=\"\(fmt(y(line.value)))\" stroke=\"#d00000\" stroke-width=\"1.2\" stroke-dasharray=\"5 3\"/>"
            svg +=
                "<text x=\"\(fmt(x(line.end) - 3))\" y=\"\(fmt(y(line.value) - 3))\" text-anchor=\"end\" font-size=\"9.5\" fill=\"#d00000\">QCVN \(escape(format.number(line.value)))</text>"
        }
        // Gaps in the data stay gaps: a new polyline starts after a missing bucket.
        var segments: [[(Double, Double)]] = [[]]
        var previous: Timestamp?
        for point in chart.points {
            if let previous, point.time.milliseconds - previous.milliseconds > Int64(bucket) { segments.append([]) }
            segments[segments.count - 1].append((x(point.time, centred: true), y(point.value)))
            previous = point.time
        }
        for segment in segments where !segment.isEmpty {
            if segment.count == 1 {
                svg += "<circle cx=\"\(fmt(segment[0].0))\" cy=\"\(fmt(segment[0].1))\" r=\"1.8\" fill=\"#0b4f8a\"/>"
            } else {
                let path = segment.map { "\(fmt($0.0)),\(fmt($0.1))" }.joined(separator: " ")
                svg += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"#0b4f8a\" stroke-width=\"1.4\"/>"
            }
        }
        svg +=
            "<text x=\"\(fmt(left + 4))\" y=\"\(fmt(top + 11))\" font-size=\"10\" fill=\"#444\">\(escape(chart.unit))</text>"
        return svg + "</svg>"
    }

    /// Days coloured by VN_AQI category, weeks as rows (Monday first) for up to a quarter, weeks
    /// as columns for longer periods.
    package static func aqiCalendar(_ station: ReportDocument.StationAQI, format: ReportFormatter) -> String {
        guard let first = station.days.first else { return "" }
        let language = format.language
        let weekdays = ReportWords.of(language).charts.weekdays
        func weekday(_ time: Timestamp) -> Int {
            let (year, month, day) = ReportPeriod.localDate(of: time)
            // 1970-01-01 was a Thursday (index 3 with Monday = 0).
            return ((RFC3339.days(fromCivil: year, month, day) % 7) + 7 + 3) % 7
        }
        let offset = weekday(first.day)
        let compact = station.days.count > 100
        let cell = compact ? 10.5 : 40.0
        let gap = compact ? 1.5 : 3.0
        let weeks = (offset + station.days.count + 6) / 7
        let labelSpace = compact ? 22.0 : 0.0
        let headerSpace = compact ? 12.0 : 14.0
        let gridWidth = compact ? labelSpace + Double(weeks) * (cell + gap) : 7 * (cell + gap)
        let gridHeight = compact ? headerSpace + 7 * (cell + gap) : headerSpace + Double(weeks) * (cell + gap)
        let legendHeight = 22.0
        let totalWidth = max(gridWidth, width)
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(fmt(totalWidth)) \(fmt(gridHeight + legendHeight + 6))\" class=\"calendar\" role=\"img\">"
        // A month's grid is narrower than the page: centre it above the legend.
        let shift = max(0, (totalWidth - gridWidth) / 2)
        svg += "<g transform=\"translate(\(fmt(shift)) 0)\">"
        if compact {
            for (index, name) in weekdays.enumerated() where index % 2 == 0 {
                svg +=
                    "<text x=\"0\" y=\"\(fmt(headerSpace + Double(index) * (cell + gap) + cell - 2))\" font-size=\"8\">\(name)</text>"
            }
        } else {
            for (index, name) in weekdays.enumerated() {
                svg +=
                    "<text x=\"\(fmt(Double(index) * (cell + gap) + cell / 2))\" y=\"10\" text-anchor=\"middle\" font-size=\"10\">\(name)</text>"
            }
        }
        var lastMonth = 0
        for (index, day) in station.days.enumerated() {
            let position = offset + index
            let (week, row) = (position / 7, position % 7)
            let x = compact ? labelSpace + Double(week) * (cell + gap) : Double(row) * (cell + gap)
            let y = compact ? headerSpace + Double(row) * (cell + gap) : headerSpace + Double(week) * (cell + gap)
            let fill = day.aqi?.category.colour.hex ?? "#FFFFFF"
            let stroke = day.aqi == nil ? "#BBBBBB" : "#555555"
            svg +=
                "<rect x=\"\(fmt(x))\" y=\"\(fmt(y))\" width=\"\(fmt(cell))\" height=\"\(fmt(cell))\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"0.5\"/>"
            let (_, month, dayOfMonth) = ReportPeriod.localDate(of: day.day)
            if compact {
                if month != lastMonth {
                    svg += "<text x=\"\(fmt(x))\" y=\"9\" font-size=\"8\">\(ReportFormatter.two(month))</text>"
                    lastMonth = month
                }
            } else {
                let text = day.aqi?.category.textColour ?? "#777777"
                svg +=
                    "<text x=\"\(fmt(x + 3))\" y=\"\(fmt(y + 10))\" font-size=\"8.5\" fill=\"\(text)\">\(dayOfMonth)/\(month)</text>"
                let value = day.aqi.map { String($0.value) } ?? "–"
                svg +=
                    "<text x=\"\(fmt(x + cell / 2))\" y=\"\(fmt(y + cell - 8))\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\" fill=\"\(text)\">\(value)</text>"
            }
        }
        svg += "</g>"
        var legendX = 0.0
        let legendY = gridHeight + 6
        for category in VNAQI.Category.allCases {
            svg +=
                "<rect x=\"\(fmt(legendX))\" y=\"\(fmt(legendY))\" width=\"12\" height=\"12\" fill=\"\(category.colour.hex)\" stroke=\"#555\" stroke-width=\"0.5\"/>"
            let label = "\(category.lowerBound)–\(category.upperBound) \(category.name(language))"
            svg +=
                "<text x=\"\(fmt(legendX + 15))\" y=\"\(fmt(legendY + 10))\" font-size=\"9.5\">\(escape(label))</text>"
            legendX += 15 + Double(label.count) * 5.2 + 10
        }
        return svg + "</svg>"
    }

    /// One bar per indicator with a target: the value as a share of the target, green when met.
    package static func indicatorBars(_ statuses: [IndicatorStatus], format: ReportFormatter) -> String {
        let rowHeight = 18.0
        let labelWidth = 300.0
        let barWidth = width - labelWidth - 90
        let height = Double(statuses.count) * rowHeight + 20
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(fmt(width)) \(fmt(height))\" class=\"bars\" role=\"img\">"
        let targetX = labelWidth + barWidth / 1.2
        for (index, status) in statuses.enumerated() {
            let entry = status.current
            let y = Double(index) * rowHeight + 4
            var name = entry.name(format.language)
            if name.count > 52 { name = String(name.prefix(50)) + "…" }
            svg +=
                "<text x=\"\(fmt(labelWidth - 6))\" y=\"\(fmt(y + 11))\" text-anchor=\"end\" font-size=\"9.5\">\(escape(name))</text>"
            let ratio = min(1.2, max(0, entry.value / max(entry.target ?? 1, 1e-9)))
            let colour = status.status == .met ? "#2E8B3A" : "#C62828"
            svg +=
                "<rect x=\"\(fmt(labelWidth))\" y=\"\(fmt(y + 2))\" width=\"\(fmt(barWidth / 1.2 * ratio))\" height=\"11\" fill=\"\(colour)\"/>"
            let label = "\(format.indicatorValue(entry)) / \(format.target(entry))"
            svg +=
                "<text x=\"\(fmt(labelWidth + barWidth + 4))\" y=\"\(fmt(y + 11))\" font-size=\"9.5\">\(escape(label))</text>"
        }
        svg +=
            "<line x1=\"\(fmt(targetX))\" x2=\"\(fmt(targetX))\" y1=\"2\" y2=\"\(fmt(height - 14))\" stroke=\"#000\" stroke-width=\"0.8\" stroke-dasharray=\"3 2\"/>"
        let targetLabel = ReportWords.of(format.language).charts.targetLine
        svg +=
            "<text x=\"\(fmt(targetX))\" y=\"\(fmt(height - 3))\" text-anchor=\"middle\" font-size=\"9\">\(targetLabel)</text>"
        return svg + "</svg>"
    }

    /// "Nice" axis values (1, 2, 2.5, 5 × 10ⁿ) covering [low, high] in about five steps.
    package static func niceTicks(_ low: Double, _ high: Double) -> [Double] {
        let raw = (high - low) / 5
        guard raw > 0, raw.isFinite else { return [low] }
        var magnitude = 1.0
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw { magnitude /= 10 }
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? magnitude * 10
        var ticks: [Double] = []
        var value = (low / step).rounded(.down) * step
        while value <= high + step * 0.001 {
            if value >= low - step * 0.001 { ticks.append((value / step).rounded() * step) }
            value += step
        }
        return ticks
    }

    static func fmt(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    static func escape(_ text: String) -> String { HTMLRenderer.escape(text) }
}
