/// Fixed-decimal formatting without Foundation: the simulator formats millions of values, and
/// the text it sends must parse back to exactly the value it recorded.
package enum DecimalText {
    static let powers: [Double] = [1, 10, 100, 1000, 10000, 100_000, 1_000_000]

    package static func format(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value < 0 ? "-Infinity" : "Infinity") }
        let places = min(max(decimals, 0), powers.count - 1)
        let scaled = (abs(value) * powers[places]).rounded()
        guard scaled < 9e15 else { return "\(value)" }
        let units = Int64(scaled)
        let divisor = Int64(powers[places])
        let whole = units / divisor
        let fraction = units % divisor
        var text = (value < 0 && units != 0) ? "-" : ""
        text += String(whole)
        if places > 0 {
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: places - digits.count) + digits
        }
        return text
    }

    /// Epoch milliseconds as SenML seconds with a fraction, e.g. `1767225600.125`.
    package static func seconds(milliseconds: Int64) -> String {
        let seconds = milliseconds.floorDivided(by: 1000)
        let rest = milliseconds.floorModulo(1000)
        if rest == 0 { return String(seconds) }
        let digits = String(rest)
        return String(seconds) + "." + String(repeating: "0", count: 3 - digits.count) + digits
    }
}
