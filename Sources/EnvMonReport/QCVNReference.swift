package import EnvMonConfig
package import EnvMonCore

/// A regulatory reference value a sensor's readings are compared with. A sensor's exceedance is
/// indicative only: QCVN limits apply to samples analysed by the methods the regulation names.
package struct QCVNReference: Hashable, Sendable {
    package enum Averaging: String, Sendable, Hashable {
        /// Each hourly mean is compared; the count is in hours.
        case hour = "1h"
        /// Each local day's mean of hourly means is compared; the count is in days.
        case day = "24h"
    }

    package enum Bound: Sendable, Hashable {
        /// Over when the mean is below (dissolved oxygen).
        case minimum(Double)
        /// Over when the mean is above.
        case maximum(Double)
        /// Over when the mean is outside [low, high] (pH).
        case band(Double, Double)

        package func isExceeded(by value: Double) -> Bool {
            switch self {
            case .minimum(let limit): value < limit
            case .maximum(let limit): value > limit
            case .band(let low, let high): value < low || value > high
            }
        }

        /// The lines a chart draws.
        package var lines: [Double] {
            switch self {
            case .minimum(let limit), .maximum(let limit): [limit]
            case .band(let low, let high): [low, high]
            }
        }

        /// The worse of two values with respect to this bound (lower for a minimum).
        func worse(_ a: Double, _ b: Double) -> Double {
            switch self {
            case .minimum: min(a, b)
            case .maximum: max(a, b)
            case .band(let low, let high): abs(a - (low + high) / 2) >= abs(b - (low + high) / 2) ? a : b
            }
        }
    }

    package var metric: String
    /// "QCVN 10-MT:2015/BTNMT" or "QCVN 05:2023/BTNMT".
    package var regulation: String
    /// Column or table of the regulation, e.g. "aquaculture" (Bảng 1, cột nuôi trồng thủy sản).
    package var column: String
    package var averaging: Averaging
    package var bound: Bound
    /// First day (local) the value applies from; nil when always.
    package var validFrom: Timestamp?
    /// Day (local) the value stops applying; nil when still in force.
    package var validUntil: Timestamp?

    package func applies(at time: Timestamp) -> Bool {
        (validFrom.map { time >= $0 } ?? true) && (validUntil.map { time < $0 } ?? true)
    }

    package var text: String {
        switch bound {
        case .minimum(let limit): "≥ \(Self.format(limit))"
        case .maximum(let limit): "≤ \(Self.format(limit))"
        case .band(let low, let high): "\(Self.format(low))–\(Self.format(high))"
        }
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

/// The reference table (domain.md §1.1, §1.3). Sea water uses QCVN 10-MT:2015 Bảng 1 by site use,
/// since the 2023 edition's aquatic-life table (Bảng 1) was not found; air uses QCVN 05:2023 Bảng 1.
package enum QCVNReferences {
    package static let water = "QCVN 10-MT:2015/BTNMT"
    package static let air = "QCVN 05:2023/BTNMT"

    /// 2026-01-01 00:00 in Vietnam: the PM2.5 24-h limit falls from 50 to 45 µg/m³.
    package static let pm25Change = ReportPeriod.localMidnight(year: 2026, month: 1, day: 1)

    /// The QCVN 10-MT:2015 column for a site: aquaculture, beach, or "other places".
    package static func waterColumn(for kind: SiteSettings.Kind) -> String {
        switch kind {
        case .aquaculture: "aquaculture"
        case .beach: "beach"
        case .town, .port, .coast, .island: "other"
        }
    }

    /// Every reference that applies to `metric` at a site of `kind`, oldest first.
    package static func references(metric: String, siteKind: SiteSettings.Kind) -> [QCVNReference] {
        let column = waterColumn(for: siteKind)
        func water(_ bound: QCVNReference.Bound) -> [QCVNReference] {
            [
                QCVNReference(
                    metric: metric, regulation: Self.water, column: column, averaging: .hour, bound: bound,
                    validFrom: nil, validUntil: nil)
            ]
        }
        func air(
            _ averaging: QCVNReference.Averaging, _ limit: Double, from: Timestamp? = nil, until: Timestamp? = nil
        )
            -> QCVNReference
        {
            QCVNReference(
                metric: metric, regulation: Self.air, column: "Bảng 1", averaging: averaging, bound: .maximum(limit),
                validFrom: from, validUntil: until)
        }
        switch (metric, column) {
        case ("ph", _): return water(.band(6.5, 8.5))
        case ("do", "aquaculture"): return water(.minimum(5))
        case ("do", "beach"): return water(.minimum(4))
        case ("tss", "aquaculture"), ("tss", "beach"): return water(.maximum(50))
        case ("nh4", "aquaculture"): return water(.maximum(0.1))
        case ("nh4", _): return water(.maximum(0.5))
        case ("po4", "aquaculture"): return water(.maximum(0.2))
        case ("po4", "beach"): return water(.maximum(0.3))
        case ("po4", _): return water(.maximum(0.5))
        case ("pm25", _): return [air(.day, 50, until: pm25Change), air(.day, 45, from: pm25Change)]
        case ("pm10", _): return [air(.day, 100)]
        case ("no2", _): return [air(.hour, 200)]
        case ("o3", _): return [air(.hour, 200)]
        default: return []
        }
    }
}
