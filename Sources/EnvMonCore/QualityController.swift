/// Streaming QARTOD quality control: gross range, spike, rate of change and flat line, with the
/// semantics of `ioos_qc.qartod` (2.x/3.0) applied to each series as its points arrive in time order.
///
/// Used from one ingest thread, point by point. Per series it keeps a small, bounded state: the
/// last two values, the last 16 sampling gaps and the flat line window (`QCFlatLineWindow`: two
/// entries for a stuck sensor, at most 2 × 512 in the worst case).
///
/// The spike test judges point n-1 from n-2 and n, so a new point's spike result is provisional
/// (not evaluated, as ioos_qc leaves the last point of an array); the next point of the series
/// settles it, and `QCAssessment.revision` carries the settled verdict when it differs from the one
/// handed on. The first point of a series keeps spike "not evaluated", as in ioos_qc.
///
/// A point not newer than the last one of its series (a late or duplicate delivery) is judged by
/// the gross range test only and leaves the streaming state alone: judging it against neighbours
/// it never had in arrival order would be wrong, and rewinding the state would make every later
/// verdict depend on delivery order.
///
/// Where streaming differs from ioos_qc's batch run over a whole array (never for regular sampling
/// in whole seconds with flat line thresholds of two intervals or more, the case the golden tests
/// check against ioos_qc):
/// - Flat line interval: the sensor's nominal interval when configured, else the median of the
///   last 16 gaps of the series (ioos_qc: the median of all gaps, truncated to whole seconds).
/// - Rate of change divides by the exact gap; ioos_qc truncates it to whole seconds.
/// - Flat line: ioos_qc passes every point of an array shorter than 3 points; here the first two
///   points of a series pass, while a batch run over a longer array would flag them when a
///   threshold is shorter than two intervals.
/// - Flat line: after the window shrank (longer median gap, reloaded thresholds) or a drift below
///   the tolerance outgrew `QCFlatLineWindow.maximumCandidates`, a flag can come later, never
///   earlier.
package struct QualityController: Sendable {
    /// How many recent sampling gaps the flat line interval (their median) is taken from.
    package static let gapHistoryLength = 16

    package private(set) var thresholds: QCThresholdTable {
        didSet { settingsGeneration &+= 1 }
    }
    /// Nominal sampling interval in seconds per sensor id; when present it fixes the flat line
    /// window instead of the median of the recent gaps.
    package var nominalIntervals: [String: Double] {
        didSet { settingsGeneration &+= 1 }
    }

    private var states: [SeriesKey: SeriesState] = [:]
    /// Bumped whenever thresholds or nominal intervals change: each series keeps its own limits
    /// and interval, looked up again only when this moved, so a reading costs one hash of its
    /// series key instead of four.
    private var settingsGeneration = 0

    package init(thresholds: QCThresholdTable, nominalIntervals: [String: Double] = [:]) {
        self.thresholds = thresholds
        self.nominalIntervals = nominalIntervals
    }

    /// Number of series with streaming state.
    package var trackedSeriesCount: Int { states.count }

    /// Applies a reloaded configuration. Series state is kept: the windows hold values, not
    /// verdicts, so the new thresholds apply from the next point on (including the settling of
    /// the previous point's spike test).
    package mutating func replaceThresholds(_ thresholds: QCThresholdTable) {
        self.thresholds = thresholds
    }

    /// Drops the state of one series (e.g. a sensor reset or replaced); its next point starts afresh.
    package mutating func forget(series: SeriesKey) {
        states[series] = nil
    }

    /// Drops the state of every series of one sensor.
    package mutating func forget(sensor: String) {
        states = states.filter { $0.key.sensor != sensor }
    }

    /// Judges one point of `series`, returning its reading and, when this point settles a changed
    /// verdict on the previous point of the series, a revision of that point.
    ///
    /// `orderOnly`: the time gives the point's order but not its spacing (a reading received in the
    /// catch-up burst after a reconnect). Rate of change is then not evaluated (a real change over
    /// minutes would be judged over a millisecond) and the gap is not learnt as a sampling interval;
    /// gross range, spike and flat line judge by order and still run.
    package mutating func assess(
        series: SeriesKey, timestamp: Timestamp, value: Double, orderOnly: Bool = false
    ) -> QCAssessment {
        var index = states.index(forKey: series)
        if index == nil {
            states[series] = SeriesState()
            index = states.index(forKey: series)
        }
        // In place through the index (a mutating call): reading fields through the dictionary's
        // getter would copy the whole state each time.
        let judged = states.values[index!].judge(
            series: series, timestamp: timestamp, value: value, orderOnly: orderOnly,
            settings: (settingsGeneration, thresholds, nominalIntervals))
        guard let (results, previous, settled) = judged.inOrder else {
            return QCAssessment(
                reading: Self.reading(series, timestamp, value, judged.results), results: judged.results,
                isOutOfOrder: true)
        }
        var revision: QualityRevision?
        if let previous, let settled,
            settled.aggregate != previous.results.aggregate || settled.flaggedBy != previous.results.flaggedBy
        {
            revision = QualityRevision(
                series: series, timestamp: previous.timestamp, quality: settled.aggregate,
                flaggedBy: settled.flaggedBy)
        }
        return QCAssessment(
            reading: Self.reading(series, timestamp, value, results), results: results, revision: revision,
            settledPrevious: settled)
    }

    private static func reading(
        _ series: SeriesKey, _ timestamp: Timestamp, _ value: Double, _ results: QCTestResults
    ) -> Reading {
        Reading(
            series: series, timestamp: timestamp, value: value, quality: results.aggregate,
            flaggedBy: results.flaggedBy)
    }
}

extension QualityController {
    /// What the controller remembers of one series.
    fileprivate struct SeriesState: Sendable {
        struct Point: Sendable {
            var timestamp: Timestamp
            var value: Double
            /// As handed on, spike still provisional.
            var results: QCTestResults
        }

        /// Index of the newest point among the in-order points of the series (ioos_qc's array index).
        var position = 0
        /// The newest point; nil before the first.
        var last: Point?
        /// The point before `last`, for its spike test.
        var beforeLastValue: Double?
        /// The most recent sampling gaps, oldest first.
        var gapsMilliseconds: [Int64] = []
        var flatLine = QCFlatLineWindow()
        /// The series' thresholds and the sensor's nominal interval, as of `settingsGeneration`
        /// of the controller (-1: not looked up yet).
        var limits = QCThresholds()
        var nominalInterval: Double?
        var settingsGeneration = -1

        /// Judges a point: refreshes the series' settings when the controller's changed, judges a
        /// late or repeated point by the gross range test only (`inOrder` nil), a newer one by all
        /// tests (`append`).
        mutating func judge(
            series: SeriesKey, timestamp: Timestamp, value: Double, orderOnly: Bool,
            settings: (generation: Int, thresholds: QCThresholdTable, nominalIntervals: [String: Double])
        ) -> (results: QCTestResults, inOrder: (QCTestResults, Point?, QCTestResults?)?) {
            if settingsGeneration != settings.generation {
                limits = settings.thresholds.thresholds(for: series)
                nominalInterval = settings.nominalIntervals[series.sensor].flatMap { $0 > 0 && $0.isFinite ? $0 : nil }
                settingsGeneration = settings.generation
            }
            if let last, timestamp <= last.timestamp {
                let results = QCTestResults(
                    grossRange: QARTOD.grossRange(value, failSpan: limits.failSpan, suspectSpan: limits.suspectSpan))
                return (results, nil)
            }
            let appended = append(timestamp: timestamp, value: value, orderOnly: orderOnly)
            return (appended.results, appended)
        }

        /// Judges a point newer than `last` and makes it the newest. Returns its results, the
        /// point it follows (as handed on) and that point's settled results.
        mutating func append(
            timestamp: Timestamp, value: Double, orderOnly: Bool
        ) -> (results: QCTestResults, previous: Point?, settled: QCTestResults?) {
            if let last {
                position += 1
                if !orderOnly {
                    gapsMilliseconds.append(timestamp.milliseconds - last.timestamp.milliseconds)
                    if gapsMilliseconds.count > QualityController.gapHistoryLength { gapsMilliseconds.removeFirst() }
                }
            }
            var results = QCTestResults(
                grossRange: QARTOD.grossRange(value, failSpan: limits.failSpan, suspectSpan: limits.suspectSpan))
            if limits.runsSpike { results.spike = value.isNaN ? .missing : .notEvaluated }
            if orderOnly, limits.rateOfChangePerSecond != nil {
                results.rateOfChange = value.isNaN ? .missing : .notEvaluated
            } else if let threshold = limits.rateOfChangePerSecond {
                results.rateOfChange = QARTOD.rateOfChange(
                    previous: last?.value, value: value,
                    elapsedSeconds: Double(timestamp.milliseconds - (last?.timestamp.milliseconds ?? 0)) / 1000,
                    threshold: threshold)
            }
            results.flatLine = judgeFlatLine(value, limits: limits)

            // The new point settles the spike test of the previous one.
            var settled = last?.results
            if let last {
                settled?.spike =
                    limits.runsSpike
                    ? QARTOD.spike(
                        before: beforeLastValue, point: last.value, after: value,
                        suspect: limits.spikeSuspect, fail: limits.spikeFail)
                    : nil
            }
            let previous = last
            beforeLastValue = last?.value
            last = Point(timestamp: timestamp, value: value, results: results)
            return (results, previous, settled)
        }

        /// Runs the flat line test for the newest point (at `position`) and feeds it to the
        /// window; nil when the test is not configured.
        private mutating func judgeFlatLine(_ value: Double, limits: QCThresholds) -> QualityFlag? {
            guard let tolerance = limits.flatLineTolerance,
                limits.flatLineSuspectSeconds != nil || limits.flatLineFailSeconds != nil
            else {
                flatLine.reset(nextPosition: position + 1)
                return nil
            }
            let interval = nominalInterval ?? medianGap
            let counts = interval.map { interval in
                (
                    suspect: limits.flatLineSuspectSeconds.map {
                        QARTOD.flatLineCount(thresholdSeconds: $0, intervalSeconds: interval)
                    },
                    fail: limits.flatLineFailSeconds.map {
                        QARTOD.flatLineCount(thresholdSeconds: $0, intervalSeconds: interval)
                    }
                )
            }
            let longest = max(counts?.suspect ?? 0, counts?.fail ?? 0)
            flatLine.append(
                position: position, value: value, tolerance: tolerance, limit: counts == nil ? Int.max : longest + 1)

            if value.isNaN { return .missing }
            // ioos_qc passes everything while it has fewer than 3 points.
            guard position >= 2, let counts else { return .pass }
            if let fail = counts.fail, flatLine.isFlat(count: fail, at: position) { return .fail }
            if let suspect = counts.suspect, flatLine.isFlat(count: suspect, at: position) { return .suspect }
            return .pass
        }

        /// Median of the recent gaps in seconds (mean of the middle two for an even count, as numpy).
        var medianGap: Double? {
            guard !gapsMilliseconds.isEmpty else { return nil }
            // Sorted in a stack buffer (at most `gapHistoryLength` gaps): asked for every reading,
            // where `sorted()` would allocate an array each time.
            let count = gapsMilliseconds.count
            let milliseconds = withUnsafeTemporaryAllocation(of: Int64.self, capacity: count) { sorted in
                for index in 0..<count {
                    let gap = gapsMilliseconds[index]
                    var slot = index
                    while slot > 0, sorted[slot - 1] > gap {
                        sorted[slot] = sorted[slot - 1]
                        slot -= 1
                    }
                    sorted[slot] = gap
                }
                let middle = count / 2
                return count % 2 == 1
                    ? Double(sorted[middle]) : (Double(sorted[middle - 1]) + Double(sorted[middle])) / 2
            }
            return milliseconds / 1000
        }
    }
}

extension QCThresholds {
    fileprivate var runsSpike: Bool { spikeSuspect != nil || spikeFail != nil }
}
