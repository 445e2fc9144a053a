/// The kind of an alert rule, as written in the config (`kind = "no_data"`).
package enum AlertRuleKind: String, Sendable, Hashable, CaseIterable, Codable {
    case above
    case below
    case outside
    case rate
    case noData = "no_data"
    case qcFault = "qc_fault"
    case aqi
}

/// Which way a `rate` rule looks.
package enum RateDirection: String, Sendable, Hashable, CaseIterable, Codable {
    case rise
    case fall
    case either
}

/// When an alert condition holds, and when it stops holding (hysteresis).
///
/// Thresholds are in the metric's canonical unit. Every clear level defaults to the threshold
/// itself, i.e. no hysteresis. With a clear level an alert that fired stays firing until the value
/// is back on the good side of the clear level: `below(5.0, clear: 5.3)` fires at 4.99 and clears
/// at 5.3, so a value wandering between 4.9 and 5.2 raises one alert, not fifty.
package enum AlertCondition: Hashable, Sendable {
    /// Fires when value > threshold (≥ if `inclusive`); clears when value ≤ clear (< if inclusive).
    case above(Double, clear: Double? = nil, inclusive: Bool = false)
    /// Fires when value < threshold (≤ if `inclusive`); clears when value ≥ clear (> if inclusive).
    case below(Double, clear: Double? = nil, inclusive: Bool = false)
    /// Fires when value < low or value > high; clears when clearLow ≤ value ≤ clearHigh.
    case outside(low: Double, high: Double, clearLow: Double? = nil, clearHigh: Double? = nil)
    /// Fires when the value changed by more than `change` within `window` (largest difference
    /// between the newest value and any value of the window, in `direction`); clears when that
    /// change is ≤ clear.
    case rate(change: Double, window: Duration, direction: RateDirection = .either, clear: Double? = nil)
    /// Fires when nothing arrived for `after` (no reading of any quality of a matching metric),
    /// counted from the engine's start for a sensor never heard from; clears on the next reading.
    case noData(after: Duration)
    /// Fires when QC fail flags persist: `consecutive` fail readings in a row, or fail readings
    /// spanning `lasting` without a pass/suspect one in between (either suffices); clears on the
    /// next pass or suspect reading.
    case qcFault(consecutive: Int? = nil, lasting: Duration? = nil)
    /// Fires when the (rounded) VN_AQI observed is in `atLeast` or worse; clears when it is ≤ clear
    /// (default: the top of the band below).
    case aqi(atLeast: VNAQI.Category, clear: Double? = nil)

    package var kind: AlertRuleKind {
        switch self {
        case .above: .above
        case .below: .below
        case .outside: .outside
        case .rate: .rate
        case .noData: .noData
        case .qcFault: .qcFault
        case .aqi: .aqi
        }
    }

    /// Whether the condition is judged on a value (`observe(rule:…value:)`) rather than on arrival
    /// times or QC flags.
    package var isValueCondition: Bool {
        switch self {
        case .noData, .qcFault: false
        default: true
        }
    }

    /// The level that makes it fire, as shown to people (seconds for no_data, a count or seconds
    /// for qc_fault, an AQI value for aqi). For a band, the bound nearer to `value`.
    package func threshold(near value: Double? = nil) -> Double {
        switch self {
        case .above(let threshold, _, _), .below(let threshold, _, _): threshold
        case .outside(let low, let high, _, _):
            if let value, value > (low + high) / 2 { high } else { low }
        case .rate(let change, _, _, _): change
        case .noData(let after): after.inSeconds
        case .qcFault(let consecutive, let lasting): consecutive.map(Double.init) ?? lasting?.inSeconds ?? 0
        case .aqi(let level, _): Double(level.lowerBound)
        }
    }

    /// The level at which it clears (nil for no_data and qc_fault, which clear on the next reading).
    package var clearLevel: Double? {
        switch self {
        case .above(let threshold, let clear, _), .below(let threshold, let clear, _): clear ?? threshold
        case .outside: nil
        case .rate(let change, _, _, let clear): clear ?? change
        case .noData, .qcFault: nil
        case .aqi(let level, let clear): clear ?? Double(level.lowerBound - 1)
        }
    }
}

extension Duration {
    /// The duration in seconds as a Double.
    var inSeconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
