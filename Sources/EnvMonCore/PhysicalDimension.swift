/// What a metric measures, which decides the units it may arrive in.
/// Unit strings are looked up only within the metric's dimension, so `m/s` means wind speed for
/// `wind_speed` and a rainfall rate (RFC 8428's primary unit) for `rain_rate`.
package enum PhysicalDimension: String, Sendable, Hashable, CaseIterable, Codable {
    case temperature
    case salinity
    case acidity
    case massConcentration = "mass_concentration"
    case percentage
    case turbidity
    case length
    case pressure
    case speed
    case angle
    case rainRate = "rain_rate"
    case voltage
    case dimensionless
}
