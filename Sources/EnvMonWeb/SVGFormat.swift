import EnvMonReport

/// Number and text formatting shared by the console's inline SVG renderers.
enum SVGFormat {
    /// A coordinate rounded to one decimal: finer steps are invisible at screen scale and
    /// would only make the page heavier.
    static func coordinate(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// "x,y" pairs separated by spaces, as `points` attributes take them.
    static func points(_ points: [(x: Double, y: Double)]) -> String {
        points.map { "\(coordinate($0.x)),\(coordinate($0.y))" }.joined(separator: " ")
    }

    /// Text for element content and double-quoted attribute values.
    static func escape(_ text: String) -> String { HTMLRenderer.escape(text) }

    /// An axis value with a fixed number of decimals, without Foundation's formatters.
    static func number(_ value: Double, decimals: Int) -> String {
        let scale = (0..<max(0, decimals)).reduce(1.0) { product, _ in product * 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled.isFinite, scaled < 1e15 else { return String(value) }
        let whole = Int64(scaled)
        let factor = Int64(scale)
        let sign = value < 0 && whole != 0 ? "-" : ""
        guard decimals > 0 else { return sign + String(whole) }
        var fraction = String(whole % factor)
        fraction = String(repeating: "0", count: decimals - fraction.count) + fraction
        return "\(sign)\(whole / factor).\(fraction)"
    }

    /// How many decimals show the steps between `ticks` exactly (0.25 needs two, 5 needs none).
    static func decimals(forStep step: Double) -> Int {
        guard step > 0, step.isFinite else { return 0 }
        var scaled = step
        for decimals in 0...6 {
            if abs(scaled - scaled.rounded()) < 1e-6 * max(1, scaled) { return decimals }
            scaled *= 10
        }
        return 6
    }

    /// The fonts to ask for: system fonts with full Vietnamese coverage, no web fonts to fetch.
    static let fontFamily = "system-ui, 'Segoe UI', 'Noto Sans', 'DejaVu Sans', Arial, sans-serif"
}
