package import EnvMonCore

/// Numbers, dates and durations as each edition writes them. Vietnamese groups thousands with a
/// dot and uses a decimal comma (1.440; 98,5%); English the other way round. The words and
/// separators are in `ReportWords.Figures`; the arithmetic is here.
package struct ReportFormatter: Sendable {
    package var language: ReportLanguage

    package init(_ language: ReportLanguage) { self.language = language }

    var words: ReportWords.Figures { ReportWords.of(language).figures }
    var groupSeparator: String { words.groupSeparator }
    var decimalSeparator: String { words.decimalSeparator }

    package func integer(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped += groupSeparator }
            grouped.append(character)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// A value with at most `digits` decimals, trailing zeros dropped (6.50 → 6,5).
    package func number(_ value: Double, digits: Int = 2) -> String {
        guard value.isFinite else { return "–" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        let negative = rounded < 0
        let magnitude = abs(rounded)
        let whole = magnitude.rounded(.down)
        var fraction = Int(((magnitude - whole) * scale).rounded())
        var wholeInt = Int(whole)
        if Double(fraction) >= scale {
            wholeInt += 1
            fraction = 0
        }
        var text = integer(wholeInt)
        if digits > 0, fraction > 0 {
            var fractionText = String(fraction)
            fractionText = String(repeating: "0", count: digits - fractionText.count) + fractionText
            while fractionText.hasSuffix("0") { fractionText.removeLast() }
            text += decimalSeparator + fractionText
        }
        return (negative && (wholeInt != 0 || fraction != 0) ? "-" : "") + text
    }

    /// A share in [0, 1] as a percentage with one decimal: 0.985 → 98,5%.
    package func percent(_ share: Double?) -> String {
        guard let share else { return "–" }
        return number(share * 100, digits: 1) + "%"
    }

    /// A change with its sign: +3, -2, 0.
    package func change(_ value: Double) -> String {
        value > 0 ? "+" + number(value) : number(value)
    }

    /// A span of time: 1 giờ 25 phút / 1 h 25 min; seconds only under a minute.
    package func duration(seconds: Double?) -> String {
        guard let seconds else { return "–" }
        let total = Int(seconds.rounded())
        let days = total / 86400
        let hours = total % 86400 / 3600
        let minutes = total % 3600 / 60
        let units = words
        if total < 60 { return "\(total) " + units.seconds }
        var parts: [String] = []
        if days > 0 { parts.append("\(days) " + units.days) }
        if hours > 0 { parts.append("\(hours) " + units.hours) }
        if minutes > 0 && days == 0 { parts.append("\(minutes) " + units.minutes) }
        return parts.joined(separator: " ")
    }

    static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// A local date in tables: 01/12/2026 or 2026-12-01.
    package func date(_ time: Timestamp) -> String {
        let (year, month, day) = ReportPeriod.localDate(of: time)
        return words.date(year, month, day)
    }

    /// Day and month only, for chart axes: 01/12 or 12-01.
    package func shortDate(_ time: Timestamp) -> String {
        let (_, month, day) = ReportPeriod.localDate(of: time)
        return words.shortDate(month, day)
    }

    /// The dateline: "Cát Hải, ngày 01 tháng 12 năm 2026" (NĐ 30/2020: days 1–9 and months 1–2
    /// with a leading zero) or "Cát Hải, 1 December 2026".
    package func dateline(_ time: Timestamp, place: String) -> String {
        let (year, month, day) = ReportPeriod.localDate(of: time)
        return words.dateline(place, year, month, day)
    }

    /// "tháng 11/2026", "quý IV/2026", "năm 2026"; "November 2026", "Q4 2026", "2026".
    package func periodName(_ period: ReportPeriod) -> String {
        switch period.kind {
        case .month: words.month(period.year, period.month)
        case .quarter: words.quarter(period.year, period.quarter ?? 1)
        case .year: words.year(period.year)
        case .custom: span(period)
        }
    }

    /// "từ ngày 01/11/2026 đến ngày 30/11/2026" / "1 to 30 November 2026" style, last day inclusive.
    package func span(_ period: ReportPeriod) -> String {
        words.span(date(period.from), date(period.to.adding(milliseconds: -1)))
    }

    /// An indicator figure with its qualifier: "gần 900", "trên 70".
    package func indicatorValue(_ entry: IndicatorEntry) -> String {
        let value = number(entry.value)
        return switch entry.qualifier {
        case .exact: value
        case .nearly: words.nearly(value)
        case .over: words.over(value)
        }
    }

    /// A target with its comparison: "≥ 20", "> 70".
    package func target(_ entry: IndicatorEntry) -> String {
        guard let target = entry.target else { return "–" }
        let sign =
            switch entry.targetComparison {
            case .atLeast: "≥ "
            case .above: "> "
            case .equal: "= "
            case .atMost: "≤ "
            case .below: "< "
            }
        return sign + number(target)
    }

    /// A QCVN reference: "≥ 5", "6,5–8,5", "≤ 45".
    package func reference(_ reference: QCVNReference) -> String {
        switch reference.bound {
        case .minimum(let limit): "≥ " + number(limit)
        case .maximum(let limit): "≤ " + number(limit)
        case .band(let low, let high): number(low) + "–" + number(high)
        }
    }
}
