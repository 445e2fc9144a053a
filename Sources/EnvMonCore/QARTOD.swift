/// The per-point arithmetic of the QARTOD tests, as `ioos_qc.qartod` (2.x/3.0) computes it for one
/// element of its arrays. `QualityController` keeps the streaming state around these.
enum QARTOD {
    /// `gross_range_test`: FAIL outside the fail span, SUSPECT outside the suspect span, bounds
    /// inclusive; NaN is MISSING. Nil when neither span is configured.
    static func grossRange(
        _ value: Double, failSpan: ClosedRange<Double>?, suspectSpan: ClosedRange<Double>?
    ) -> QualityFlag? {
        if failSpan == nil && suspectSpan == nil { return nil }
        if value.isNaN { return .missing }
        if let failSpan, !failSpan.contains(value) { return .fail }
        if let suspectSpan, !suspectSpan.contains(value) { return .suspect }
        return .pass
    }

    /// `spike_test(method="average")` for the middle point of three consecutive ones:
    /// `|x[n-1] - (x[n-2] + x[n]) / 2|` above a threshold. ioos_qc applies a threshold only when it
    /// is truthy, so 0 means "not applied". `before` is nil for the first point of a series, which
    /// ioos_qc leaves UNKNOWN; a NaN neighbour also gives UNKNOWN, a NaN point MISSING.
    static func spike(
        before: Double?, point: Double, after: Double, suspect: Double?, fail: Double?
    ) -> QualityFlag {
        if point.isNaN { return .missing }
        guard let before, !before.isNaN, !after.isNaN else { return .notEvaluated }
        let difference = abs(point - (before + after) / 2)
        var flag = QualityFlag.pass
        if let suspect, suspect != 0, difference > suspect { flag = .suspect }
        if let fail, fail != 0, difference > fail { flag = .fail }
        return flag
    }

    /// `rate_of_change_test`: |Δx| / Δt above `threshold` (units per second) is SUSPECT. The first
    /// point, and a point after a NaN (ioos_qc's rate is masked there), pass.
    static func rateOfChange(
        previous: Double?, value: Double, elapsedSeconds: Double, threshold: Double
    ) -> QualityFlag {
        if value.isNaN { return .missing }
        guard let previous, !previous.isNaN else { return .pass }
        let rate = abs(value - previous) / elapsedSeconds
        return rate > threshold ? .suspect : .pass
    }

    /// `flat_line_test` turns its thresholds (seconds) into a number of intervals as
    /// `int(int(threshold) / median_interval)`; the window is that many intervals plus one point.
    /// The interval is exact here (ioos_qc truncates it to whole seconds, which is the same for
    /// the whole-second sampling of real sensors). A tiny epsilon keeps 0.3 / 0.1 at 3.
    static func flatLineCount(thresholdSeconds: Double, intervalSeconds: Double) -> Int {
        let threshold = thresholdSeconds.rounded(.towardZero)
        guard intervalSeconds > 0, threshold >= 0 else { return 0 }
        let count = (threshold / intervalSeconds + 1e-9).rounded(.down)
        return count >= Double(maximumFlatLineCount) ? maximumFlatLineCount : Int(count)
    }

    /// Guards the integer conversion; a window this long means the test never fires in practice.
    static let maximumFlatLineCount = 10_000_000
}
