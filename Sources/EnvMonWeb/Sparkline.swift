/// A value's recent course in a table cell: a tiny line with no axes, its last point as a dot.
///
/// The root carries `data-points` (values drawn) like `SeriesChart`, and each unbroken run is
/// one `polyline.spark`.
package enum Sparkline {
    /// A run breaks where two values are further apart than this many times the median spacing:
    /// sparklines get raw or lightly aggregated values at whatever interval the sensor reports,
    /// so the typical spacing, not a bucket width, is what a gap is measured against.
    static let gapFactor = 2.5
    /// Room for the last point's dot inside the box.
    static let inset = 2.5

    /// Values outside `from`…`to` or not finite are left out. `width` and `height` set the
    /// viewBox; the page's stylesheet sets the displayed size.
    package static func svg(
        values: [(time: Int64, value: Double)], from: Int64, to: Int64, width: Int = 120, height: Int = 28
    ) -> String {
        let width = Double(max(width, 8))
        let height = Double(max(height, 8))
        let shown = values.filter { $0.value.isFinite && $0.time >= from && $0.time <= to }.sorted { $0.time < $1.time }
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(c(width)) \(c(height))\" class=\"sparkline\" data-points=\"\(shown.count)\">"
        guard let last = shown.last else {
            // A faint dashed midline, so an empty cell reads as "no data" rather than as a gap.
            return svg
                + "<line class=\"spark-empty\" x1=\"\(c(inset))\" x2=\"\(c(width - inset))\" y1=\"\(c(height / 2))\" y2=\"\(c(height / 2))\" stroke=\"#bbb\" stroke-dasharray=\"2 2\"/></svg>"
        }
        let low = shown.map(\.value).min()!
        let high = shown.map(\.value).max()!
        let span = Double(max(1, to - from))
        func x(_ time: Int64) -> Double { inset + Double(time - from) / span * (width - 2 * inset) }
        func y(_ value: Double) -> Double {
            // A flat series runs along the middle.
            high > low ? inset + (high - value) / (high - low) * (height - 2 * inset) : height / 2
        }
        let limit = gapFactor * Double(medianSpacing(shown.map(\.time)))
        var runs: [[(x: Double, y: Double)]] = []
        var previous: Int64?
        for value in shown {
            let point = (x: x(value.time), y: y(value.value))
            if let previous, Double(value.time - previous) <= limit {
                runs[runs.count - 1].append(point)
            } else {
                runs.append([point])
            }
            previous = value.time
        }
        svg += "<g fill=\"none\" stroke=\"#0b4f8a\" stroke-width=\"1.2\" stroke-linejoin=\"round\">"
        for run in runs {
            svg += "<polyline class=\"spark\" points=\"\(SVGFormat.points(run))\"/>"
        }
        svg += "</g>"
        // Lone values in the middle would draw nothing as one-vertex polylines.
        for run in runs.dropLast() where run.count == 1 {
            svg += "<circle class=\"spark-dot\" cx=\"\(c(run[0].x))\" cy=\"\(c(run[0].y))\" r=\"1\" fill=\"#0b4f8a\"/>"
        }
        svg +=
            "<circle class=\"spark-last\" cx=\"\(c(x(last.time)))\" cy=\"\(c(y(last.value)))\" r=\"2\" fill=\"#0b4f8a\"/>"
        return svg + "</svg>"
    }

    /// The median of the positive spacings; zero with fewer than two distinct times.
    static func medianSpacing(_ times: [Int64]) -> Int64 {
        let spacings = zip(times, times.dropFirst()).map { $1 - $0 }.filter { $0 > 0 }.sorted()
        return spacings.isEmpty ? 0 : spacings[spacings.count / 2]
    }

    static func c(_ value: Double) -> String { SVGFormat.coordinate(value) }
}
