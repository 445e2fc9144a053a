import EnvMonReport

/// One metric over a period for the site page: the min–max band of each bucket with its mean
/// line, QC-failed readings as red crosses, alert thresholds and QCVN limits as dashed lines.
///
/// Inline SVG with no script. The root carries `data-points` (buckets drawn) and the mean is one
/// `polyline.mean` per unbroken run, so a browser test can count the vertices against it.
package enum SeriesChart {
    package struct Point: Sendable {
        /// The bucket's start, epoch milliseconds.
        package var time: Int64
        package var mean: Double
        package var minimum: Double
        package var maximum: Double

        package init(time: Int64, mean: Double, minimum: Double, maximum: Double) {
            self.time = time
            self.mean = mean
            self.minimum = minimum
            self.maximum = maximum
        }
    }

    package struct Failed: Sendable {
        package var time: Int64
        package var value: Double

        package init(time: Int64, value: Double) {
            self.time = time
            self.value = value
        }
    }

    package struct Threshold: Sendable {
        package var value: Double
        /// Drawn as given beside the line: the caller writes it in the page's language.
        package var label: String
        /// "alert" (the operator's alert rule) or "qcvn" (the national technical regulation).
        package var kind: String

        package init(value: Double, label: String, kind: String) {
            self.value = value
            self.label = label
            self.kind = kind
        }
    }

    static let width = 760.0
    static let height = 260.0
    static let left = 56.0
    static let right = 20.0
    static let top = 24.0
    static let bottom = 26.0
    static let plotWidth = width - left - right
    static let plotHeight = height - top - bottom
    /// A year of a sensor stuck out of range could fail half a million readings; a thousand
    /// crosses (about 50 KB) already show where and how often, and keep the page light.
    static let maximumFailedDrawn = 1_000
    /// A run of buckets breaks where the next one is further than this many bucket widths.
    static let gapFactor = 2.5

    /// `from` and `to` bound the x axis (epoch ms); `timeLabel` writes a tick's text (the caller
    /// shows UTC+7); `emptyText` replaces the chart when there is nothing to draw.
    package static func svg(
        points: [Point], failed: [Failed], thresholds: [Threshold], from: Int64, to: Int64, unit: String,
        title: String, emptyText: String, timeLabel: (Int64) -> String
    ) -> String {
        let to = max(to, from + 1)
        let sorted = points.filter { $0.mean.isFinite && $0.minimum.isFinite && $0.maximum.isFinite }
            .sorted { $0.time < $1.time }
        let bucket = bucketWidth(sorted)
        let drawn = sorted.filter { $0.time + bucket > from && $0.time < to }
        let failures = failed.filter { $0.value.isFinite && $0.time >= from && $0.time <= to }
            .sorted { $0.time < $1.time }
        guard !drawn.isEmpty || !failures.isEmpty else {
            return placeholder(title: title, text: emptyText)
        }

        let range = valueRange(drawn: drawn, failures: failures, thresholds: thresholds)
        let span = Double(to - from)
        func x(_ time: Int64) -> Double {
            left + min(max(Double(time - from) / span, 0), 1) * plotWidth
        }
        func y(_ value: Double) -> Double {
            top + min(max((range.high - value) / (range.high - range.low), 0), 1) * plotHeight
        }

        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(c(width)) \(c(height))\" class=\"series-chart\" role=\"img\" font-family=\"\(SVGFormat.fontFamily)\" font-size=\"10\" data-points=\"\(drawn.count)\">"
        svg += "<title>\(SVGFormat.escape(title))</title>"
        let shownFailures = thin(failures)
        svg +=
            "<desc>\(drawn.count) buckets; \(failures.count) QC-failed readings, \(shownFailures.count) drawn\(shownFailures.count < failures.count ? " (evenly thinned to at most \(maximumFailedDrawn))" : "")</desc>"
        svg +=
            "<rect class=\"plot\" x=\"\(c(left))\" y=\"\(c(top))\" width=\"\(c(plotWidth))\" height=\"\(c(plotHeight))\" fill=\"#fff\" stroke=\"#999\" stroke-width=\"0.6\"/>"
        svg += valueAxis(range: range, y: y)
        svg += timeAxis(from: from, to: to, x: x, timeLabel: timeLabel)
        svg += series(drawn, bucket: bucket, x: x, y: y)
        svg += "<g class=\"qc-fails\" stroke=\"#d00000\" stroke-width=\"1.3\" fill=\"none\">"
        for failure in shownFailures {
            // A 5-unit cross centred on the reading.
            svg +=
                "<path class=\"qc-fail\" d=\"M\(c(x(failure.time) - 2.5)) \(c(y(failure.value) - 2.5))l5 5m0-5l-5 5\"/>"
        }
        svg += "</g>"
        svg += thresholdLines(range.shown, y: y)
        svg += "<text class=\"unit\" x=\"4\" y=\"14\" fill=\"#444\">\(SVGFormat.escape(unit))</text>"
        if !range.omitted.isEmpty {
            let note = range.omitted.map { "\($0.value > range.high ? "↑" : "↓") \($0.label)" }
                .joined(separator: " · ")
            svg +=
                "<text class=\"note\" x=\"\(c(width - right))\" y=\"14\" text-anchor=\"end\" fill=\"#8a5a00\">\(SVGFormat.escape(note))</text>"
        }
        return svg + "</svg>"
    }

    /// The smallest spacing between buckets: rollup buckets start on fixed boundaries, so any
    /// two neighbours give the width, however many are missing in between.
    static func bucketWidth(_ points: [Point]) -> Int64 {
        var width = Int64.max
        for (previous, next) in zip(points, points.dropFirst()) where next.time > previous.time {
            width = min(width, next.time - previous.time)
        }
        return width == .max ? 0 : width
    }

    struct ValueRange {
        var low: Double
        var high: Double
        var ticks: [Double]
        var shown: [Threshold]
        var omitted: [Threshold]
    }

    /// The data's extent, widened to thresholds no further than half the data's range beyond it:
    /// a limit far above the readings would flatten them into a line. QC-failed readings only set
    /// the range when there is nothing else (they are often wild values); otherwise they are
    /// pinned to the plot's edge.
    static func valueRange(drawn: [Point], failures: [Failed], thresholds: [Threshold]) -> ValueRange {
        var low = drawn.isEmpty ? failures.map(\.value).min()! : drawn.map(\.minimum).min()!
        var high = drawn.isEmpty ? failures.map(\.value).max()! : drawn.map(\.maximum).max()!
        let dataRange = high > low ? high - low : max(abs(high) * 0.1, 1)
        let finite = thresholds.filter { $0.value.isFinite }
        let shown = finite.filter { $0.value >= low - dataRange / 2 && $0.value <= high + dataRange / 2 }
        let omitted = finite.filter { $0.value < low - dataRange / 2 || $0.value > high + dataRange / 2 }
        for threshold in shown {
            low = min(low, threshold.value)
            high = max(high, threshold.value)
        }
        if low == high {
            low -= max(abs(low) * 0.1, 1)
            high += max(abs(high) * 0.1, 1)
        }
        let pad = (high - low) * 0.06
        return ValueRange(
            low: low - pad, high: high + pad, ticks: SVGChart.niceTicks(low - pad, high + pad), shown: shown,
            omitted: omitted)
    }

    static func valueAxis(range: ValueRange, y: (Double) -> Double) -> String {
        let step = range.ticks.count > 1 ? range.ticks[1] - range.ticks[0] : 1
        let decimals = SVGFormat.decimals(forStep: step)
        var svg = ""
        for tick in range.ticks {
            let position = c(y(tick))
            svg +=
                "<line class=\"grid\" data-value=\"\(SVGFormat.number(tick, decimals: decimals))\" x1=\"\(c(left))\" x2=\"\(c(left + plotWidth))\" y1=\"\(position)\" y2=\"\(position)\" stroke=\"#e3e3e3\" stroke-width=\"0.5\"/>"
            svg +=
                "<text x=\"\(c(left - 4))\" y=\"\(c(y(tick) + 3.5))\" text-anchor=\"end\">\(SVGFormat.number(tick, decimals: decimals))</text>"
        }
        return svg
    }

    static func timeAxis(from: Int64, to: Int64, x: (Int64) -> Double, timeLabel: (Int64) -> String) -> String {
        var svg = ""
        let base = top + plotHeight
        for tick in TimeTicks.positions(from: from, to: to) {
            let position = c(x(tick))
            svg +=
                "<line class=\"time-tick\" x1=\"\(position)\" x2=\"\(position)\" y1=\"\(c(top))\" y2=\"\(c(base + 4))\" stroke=\"#ececec\" stroke-width=\"0.5\"/>"
            svg +=
                "<text x=\"\(position)\" y=\"\(c(height - 8))\" text-anchor=\"middle\">\(SVGFormat.escape(timeLabel(tick)))</text>"
        }
        return svg
    }

    /// Runs of buckets with no gap longer than `gapFactor` widths: one band polygon (the maxima
    /// left to right, then the minima back) and one mean polyline each. A lone bucket gets a
    /// 3-unit-wide bar and a dot, since a one-vertex polyline draws nothing.
    static func series(_ points: [Point], bucket: Int64, x: (Int64) -> Double, y: (Double) -> Double) -> String {
        var runs: [[Point]] = []
        for point in points {
            if let last = runs.last?.last, Double(point.time - last.time) <= gapFactor * Double(bucket) {
                runs[runs.count - 1].append(point)
            } else {
                runs.append([point])
            }
        }
        // Buckets are drawn at their middle: a day's mean sits at local noon.
        let half = bucket / 2
        var bands = ""
        var means = ""
        for run in runs {
            if run.count == 1, let point = run.first {
                let centre = x(point.time + half)
                bands +=
                    "<polygon class=\"band\" points=\"\(SVGFormat.points([(centre - 1.5, y(point.maximum)), (centre + 1.5, y(point.maximum)), (centre + 1.5, y(point.minimum)), (centre - 1.5, y(point.minimum))]))\"/>"
                means += "<polyline class=\"mean\" points=\"\(SVGFormat.points([(centre, y(point.mean))]))\"/>"
                means +=
                    "<circle class=\"mean-dot\" cx=\"\(c(centre))\" cy=\"\(c(y(point.mean)))\" r=\"1.8\" fill=\"#0b4f8a\"/>"
                continue
            }
            let upper = run.map { (x: x($0.time + half), y: y($0.maximum)) }
            let lower = run.reversed().map { (x: x($0.time + half), y: y($0.minimum)) }
            bands += "<polygon class=\"band\" points=\"\(SVGFormat.points(upper + lower))\"/>"
            let mean = run.map { (x: x($0.time + half), y: y($0.mean)) }
            means += "<polyline class=\"mean\" points=\"\(SVGFormat.points(mean))\"/>"
        }
        return "<g class=\"bands\" fill=\"#0b4f8a\" fill-opacity=\"0.18\" stroke=\"none\">\(bands)</g>"
            + "<g class=\"means\" fill=\"none\" stroke=\"#0b4f8a\" stroke-width=\"1.4\" stroke-linejoin=\"round\">\(means)</g>"
    }

    /// QCVN limits red and long-dashed, alert thresholds amber and short-dashed; QCVN labels at
    /// the right end, alert labels at the left, so a pair of close lines keeps both labels.
    static func thresholdLines(_ thresholds: [Threshold], y: (Double) -> Double) -> String {
        var svg = ""
        for threshold in thresholds {
            let qcvn = threshold.kind == "qcvn"
            let colour = qcvn ? "#d00000" : "#d98200"
            let position = y(threshold.value)
            svg +=
                "<line class=\"threshold threshold-\(SVGFormat.escape(threshold.kind))\" data-value=\"\(threshold.value)\" x1=\"\(c(left))\" x2=\"\(c(left + plotWidth))\" y1=\"\(c(position))\" y2=\"\(c(position))\" stroke=\"\(colour)\" stroke-width=\"1.2\" stroke-dasharray=\"\(qcvn ? "6 3" : "2 3")\"/>"
            // Below the line when it runs along the top of the plot.
            let labelY = position - 3 < top + 10 ? position + 11 : position - 3
            let anchor =
                qcvn ? "x=\"\(c(left + plotWidth - 4))\" text-anchor=\"end\"" : "x=\"\(c(left + 4))\""
            svg +=
                "<text class=\"threshold-label\" \(anchor) y=\"\(c(labelY))\" fill=\"\(colour)\">\(SVGFormat.escape(threshold.label))</text>"
        }
        return svg
    }

    /// At most `maximumFailedDrawn`, picked evenly through time so the pattern stays visible.
    static func thin(_ failures: [Failed]) -> [Failed] {
        guard failures.count > maximumFailedDrawn else { return failures }
        return (0..<maximumFailedDrawn).map { failures[$0 * failures.count / maximumFailedDrawn] }
    }

    static func placeholder(title: String, text: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(c(width)) \(c(height))\" class=\"series-chart empty\" role=\"img\" font-family=\"\(SVGFormat.fontFamily)\" data-points=\"0\">"
            + "<title>\(SVGFormat.escape(title))</title>"
            + "<rect class=\"plot\" x=\"\(c(left))\" y=\"\(c(top))\" width=\"\(c(plotWidth))\" height=\"\(c(plotHeight))\" fill=\"#fafafa\" stroke=\"#bbb\" stroke-width=\"0.6\" stroke-dasharray=\"4 3\"/>"
            + "<text class=\"no-data\" x=\"\(c(left + plotWidth / 2))\" y=\"\(c(top + plotHeight / 2 + 5))\" text-anchor=\"middle\" font-size=\"14\" fill=\"#777\">\(SVGFormat.escape(text))</text></svg>"
    }

    static func c(_ value: Double) -> String { SVGFormat.coordinate(value) }
}
