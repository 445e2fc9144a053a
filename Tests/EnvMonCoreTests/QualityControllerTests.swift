import Testing

@testable import EnvMonCore

/// Hand-worked cases of each QARTOD test; QualityControllerGoldenTests checks whole series
/// against ioos_qc itself.
@Suite("QualityController")
struct QualityControllerTests {
    static let key = SeriesKey(sensor: "catba-buoy-1", metric: "water_temp")
    static let start = Timestamp(milliseconds: 1_751_328_000_000)  // 2025-07-01T00:00:00Z

    static func minute(_ index: Int) -> Timestamp { start.adding(milliseconds: Int64(index) * 60_000) }

    static func controller(_ thresholds: QCThresholds, nominal: [String: Double] = [:]) -> QualityController {
        QualityController(thresholds: QCThresholdTable(byMetric: [key.metric: thresholds]), nominalIntervals: nominal)
    }

    /// Streams `values` one minute apart (or at `times`) and returns the settled flag of `test` for
    /// each point as digits (`-` when the test did not run), as ioos_qc prints an array.
    static func settled(
        _ values: [Double], _ thresholds: QCThresholds, test: QCTests, times: [Timestamp]? = nil,
        nominal: [String: Double] = [:]
    ) -> String {
        var controller = controller(thresholds, nominal: nominal)
        var results: [QCTestResults] = []
        for (index, value) in values.enumerated() {
            let assessment = controller.assess(series: key, timestamp: times?[index] ?? minute(index), value: value)
            if let settled = assessment.settledPrevious { results[results.count - 1] = settled }
            results.append(assessment.results)
        }
        return results.map { $0[test].map { String($0.rawValue) } ?? "-" }.joined()
    }

    // MARK: Gross range

    @Test("Gross range: fail outside the fail span, suspect outside the suspect span, bounds inclusive")
    func grossRangeBounds() {
        let thresholds = QCThresholds(failSpan: -2...40, suspectSpan: 14...34)
        let values: [Double] = [28, 34, 34.01, 40, 40.01, 14, 13.99, -2, -2.01, .nan]
        #expect(Self.settled(values, thresholds, test: .grossRange) == "1133413349")

        var controller = Self.controller(thresholds)
        let fail = controller.assess(series: Self.key, timestamp: Self.minute(0), value: 41)
        #expect(fail.reading.quality == .fail && fail.reading.flaggedBy == .grossRange)
        let pass = controller.assess(series: Self.key, timestamp: Self.minute(1), value: 20)
        #expect(pass.reading.quality == .pass && pass.reading.flaggedBy.isEmpty)
        let missing = controller.assess(series: Self.key, timestamp: Self.minute(2), value: .nan)
        #expect(missing.reading.quality == .missing && missing.reading.flaggedBy.isEmpty)
    }

    @Test("Gross range with a suspect span only never fails")
    func grossRangeSuspectOnly() {
        let thresholds = QCThresholds(suspectSpan: 14...34)
        #expect(Self.settled([20, 35, 500, -40], thresholds, test: .grossRange) == "1333")
    }

    @Test("No thresholds: nothing runs and the point is not evaluated")
    func nothingConfigured() {
        var controller = Self.controller(QCThresholds())
        for index in 0..<3 {
            let assessment = controller.assess(series: Self.key, timestamp: Self.minute(index), value: 1e9)
            #expect(assessment.results == QCTestResults())
            #expect(assessment.reading.quality == .notEvaluated && assessment.reading.flaggedBy.isEmpty)
            #expect(assessment.revision == nil)
        }
    }

    @Test("Aggregate follows qartod_compare; tests that did not run take no part")
    func aggregatePrecedence() {
        #expect(QCTestResults(grossRange: .pass, spike: .suspect).aggregate == .suspect)
        #expect(QCTestResults(grossRange: .pass, spike: .suspect).flaggedBy == .spike)
        #expect(QCTestResults(grossRange: .suspect, spike: .fail, flatLine: .suspect).aggregate == .fail)
        #expect(
            QCTestResults(grossRange: .suspect, spike: .fail, flatLine: .suspect).flaggedBy == [
                .grossRange, .spike, .flatLine,
            ])
        #expect(QCTestResults(grossRange: .pass, spike: .notEvaluated).aggregate == .pass)
        // UNKNOWN outranks MISSING in qartod_compare: a NaN first point with spike configured.
        #expect(QCTestResults(grossRange: .missing, spike: .notEvaluated).aggregate == .notEvaluated)
        #expect(QCTestResults(grossRange: .missing).aggregate == .missing)
        #expect(QCTestResults().aggregate == .notEvaluated)
    }

    // MARK: Spike

    @Test("Spike: point n-1 is judged when n arrives, and the change comes back as a revision")
    func spikeSettlesPreviousPoint() {
        // Worked: x = 10, 10, 14, 10, 10; suspect 1, fail 3.
        // |10 - (10 + 14)/2| = 2 → suspect, |14 - (10 + 10)/2| = 4 → fail, then 2 → suspect.
        var controller = Self.controller(QCThresholds(spikeSuspect: 1, spikeFail: 3))
        let values: [Double] = [10, 10, 14, 10, 10]
        let assessments = values.enumerated().map { index, value in
            controller.assess(series: Self.key, timestamp: Self.minute(index), value: value)
        }
        for assessment in assessments {
            #expect(assessment.results.spike == .notEvaluated, "the newest point is not judged yet")
            #expect(assessment.reading.quality == .notEvaluated)
        }
        #expect(assessments[0].settledPrevious == nil && assessments[0].revision == nil)
        #expect(assessments[1].settledPrevious?.spike == .notEvaluated, "the first point stays unknown")
        #expect(assessments[1].revision == nil)
        #expect(
            assessments[2].revision
                == QualityRevision(series: Self.key, timestamp: Self.minute(1), quality: .suspect, flaggedBy: .spike))
        #expect(
            assessments[3].revision
                == QualityRevision(series: Self.key, timestamp: Self.minute(2), quality: .fail, flaggedBy: .spike))
        #expect(
            assessments[4].revision
                == QualityRevision(series: Self.key, timestamp: Self.minute(3), quality: .suspect, flaggedBy: .spike))
        #expect(Self.settled(values, QCThresholds(spikeSuspect: 1, spikeFail: 3), test: .spike) == "23432")
    }

    @Test("Spike thresholds are exceeded strictly; a zero threshold is not applied, as in ioos_qc")
    func spikeThresholds() {
        let thresholds = QCThresholds(spikeSuspect: 2, spikeFail: 4)
        #expect(Self.settled([10, 12, 10], thresholds, test: .spike) == "212")  // 2 is not above 2
        #expect(Self.settled([10, 12.5, 10], thresholds, test: .spike) == "232")
        #expect(Self.settled([10, 14, 10], thresholds, test: .spike) == "232")  // 4 is not above 4
        #expect(Self.settled([10, 14.5, 10], thresholds, test: .spike) == "242")
        #expect(Self.settled([10, 12.5, 10], QCThresholds(spikeSuspect: 0, spikeFail: 3), test: .spike) == "212")
        #expect(Self.settled([10, 12.5, 10], QCThresholds(spikeSuspect: 2), test: .spike) == "232")
    }

    @Test("Spike: a NaN point is missing and its neighbours cannot be judged")
    func spikeAroundNaN() {
        #expect(Self.settled([10, 10, .nan, 10, 10, 10], QCThresholds(spikeSuspect: 1), test: .spike) == "229212")
    }

    @Test("No revision when settling the spike test changes nothing")
    func noRevisionWhenUnchanged() {
        var controller = Self.controller(QCThresholds(failSpan: -2...40, spikeSuspect: 1, spikeFail: 3))
        for (index, value) in [28.0, 28.1, 28.0, 28.2, 28.1].enumerated() {
            let assessment = controller.assess(series: Self.key, timestamp: Self.minute(index), value: value)
            #expect(assessment.reading.quality == .pass)
            #expect(assessment.revision == nil)
            #expect(assessment.settledPrevious?.spike == (index == 1 ? .notEvaluated : index > 1 ? .pass : nil))
        }
    }

    // MARK: Rate of change

    @Test("Rate of change: |Δx| / Δt above the threshold is suspect; the first point passes")
    func rateOfChange() {
        // 0.5 / 60 = 0.0083 passes, 0.7 / 60 = 0.0117 is suspect; a 2-minute gap halves the rate.
        let thresholds = QCThresholds(rateOfChangePerSecond: 0.01)
        let times = [0, 1, 2, 3, 5].map(Self.minute)
        #expect(Self.settled([20, 20.5, 21.2, 21.2, 22.2], thresholds, test: .rateOfChange, times: times) == "11311")
        var controller = Self.controller(thresholds)
        _ = controller.assess(series: Self.key, timestamp: Self.minute(0), value: 20)
        let fast = controller.assess(series: Self.key, timestamp: Self.minute(1), value: 21)
        #expect(fast.reading.quality == .suspect && fast.reading.flaggedBy == .rateOfChange)
    }

    @Test("A catch-up point (order only) is not judged on rate of change, nor learnt as a sampling gap")
    func orderOnlySkipsRateOfChange() {
        var controller = Self.controller(QCThresholds(rateOfChangePerSecond: 0.01))
        _ = controller.assess(series: Self.key, timestamp: Self.minute(0), value: 20)
        // Ten minutes of change received a millisecond after the last point.
        let burst = controller.assess(
            series: Self.key, timestamp: Self.minute(0).adding(milliseconds: 1), value: 21, orderOnly: true)
        #expect(burst.results.rateOfChange == .notEvaluated)
        #expect(burst.reading.quality != .suspect)
        // The same point judged on its time would be suspect.
        var timed = Self.controller(QCThresholds(rateOfChangePerSecond: 0.01))
        _ = timed.assess(series: Self.key, timestamp: Self.minute(0), value: 20)
        #expect(
            timed.assess(series: Self.key, timestamp: Self.minute(0).adding(milliseconds: 1), value: 21).results
                .rateOfChange == .suspect)
    }

    @Test("Rate of change divides by the exact gap in milliseconds")
    func rateOfChangeMilliseconds() {
        // 0.302 over 30.5 s is 0.0099/s and passes; ioos_qc truncates the gap to 30 s (0.0101/s).
        let times = [Self.start, Self.start.adding(milliseconds: 30_500)]
        let result = Self.settled(
            [20, 20.302], QCThresholds(rateOfChangePerSecond: 0.01), test: .rateOfChange, times: times)
        #expect(result == "11")
    }

    @Test("Rate of change: a NaN point is missing and the point after it passes")
    func rateOfChangeAroundNaN() {
        #expect(
            Self.settled([20, .nan, 25, 30], QCThresholds(rateOfChangePerSecond: 0.01), test: .rateOfChange) == "1913")
    }

    // MARK: Flat line

    static let flat = QCThresholds(flatLineTolerance: 0.01, flatLineSuspectSeconds: 300, flatLineFailSeconds: 600)

    @Test("Flat line: windows of count + 1 points, counts = threshold / interval (5 and 10 at 1 minute)")
    func flatLineCounts() {
        let values = Array(repeating: 5.0, count: 15) + Array(repeating: 5.5, count: 6)
        #expect(Self.settled(values, Self.flat, test: .flatLine) == "111113333344444" + "111113")
    }

    @Test("Flat line looks at the range of the window, not at consecutive differences")
    func flatLineRange() {
        // Steps of 0.004 stay below the tolerance, but six points span 0.02.
        let drifting = (0..<12).map { 5.0 + 0.004 * Double($0) }
        #expect(Self.settled(drifting, Self.flat, test: .flatLine) == "111111111111")
        let dithering = (0..<8).map { $0 % 2 == 0 ? 5.0 : 5.004 }
        #expect(Self.settled(dithering, Self.flat, test: .flatLine) == "11111333")
    }

    @Test("Flat line with tolerance 0 never flags (ioos_qc compares range < tolerance)")
    func flatLineZeroTolerance() {
        let thresholds = QCThresholds(flatLineTolerance: 0, flatLineSuspectSeconds: 300, flatLineFailSeconds: 600)
        #expect(Self.settled(Array(repeating: 5.0, count: 12), thresholds, test: .flatLine) == "111111111111")
    }

    @Test("Flat line uses the nominal interval when the sensor has one")
    func flatLineNominalInterval() {
        // Nominal 120 s: counts 300/120 = 2 and 600/120 = 5, although points come every minute.
        let values = Array(repeating: 5.0, count: 9)
        #expect(Self.settled(values, Self.flat, test: .flatLine, nominal: [Self.key.sensor: 120]) == "113334444")
        #expect(Self.settled(values, Self.flat, test: .flatLine) == "111113333")
    }

    @Test("Flat line takes the median of recent gaps, so one outage does not change the window")
    func flatLineMedianGap() {
        let values = Array(repeating: 5.0, count: 15)
        var times = (0..<15).map(Self.minute)
        for index in 8..<15 { times[index] = times[index].adding(milliseconds: 3_600_000) }
        #expect(Self.settled(values, Self.flat, test: .flatLine, times: times) == "111113333344444")
    }

    @Test("Flat line: NaN values are missing and ignored inside the window")
    func flatLineAroundNaN() {
        let thresholds = QCThresholds(flatLineTolerance: 0.01, flatLineSuspectSeconds: 120, flatLineFailSeconds: 600)
        #expect(Self.settled([5, .nan, 5, 5, 5.5], thresholds, test: .flatLine) == "19331")
    }

    @Test("Flat line: the first two points of a series always pass, as ioos_qc for fewer than 3 points")
    func flatLineFirstPoints() {
        // 30 s at a 60 s interval gives a count of 0: every window of one point is flat. ioos_qc
        // would flag all three points of a 3-point array; streaming cannot take back the first two.
        let thresholds = QCThresholds(flatLineTolerance: 0.01, flatLineSuspectSeconds: 30)
        #expect(Self.settled([1, 2, 3, 4], thresholds, test: .flatLine) == "1133")
    }

    @Test("Flat line state stays small however long a sensor is stuck or drifts")
    func flatLineBoundedState() {
        var stuck = QCFlatLineWindow()
        for position in 0..<100_000 { stuck.append(position: position, value: 7.25, tolerance: 0.01, limit: 361) }
        #expect(stuck.candidateCount == 2)
        #expect(stuck.isFlat(count: 360, at: 99_999))
        #expect(stuck.start == 99_999 - 360)

        // A slow rise below the tolerance keeps every value as a minimum candidate: the queue is
        // cut at its limit, which only delays a flag.
        var drifting = QCFlatLineWindow()
        for position in 0..<2_000 {
            drifting.append(position: position, value: 1e-6 * Double(position), tolerance: 1, limit: 5_000)
        }
        #expect(drifting.candidateCount <= QCFlatLineWindow.maximumCandidates + 1)
        #expect(drifting.isFlat(count: QCFlatLineWindow.maximumCandidates - 1, at: 1_999))
        #expect(!drifting.isFlat(count: 1_000, at: 1_999))
    }

    // MARK: Out of order, reload, forgetting

    static let waterTemp = QCThresholds(
        failSpan: -2...40, suspectSpan: 14...34, spikeSuspect: 1, spikeFail: 3, rateOfChangePerSecond: 2.0 / 600,
        flatLineTolerance: 0.005, flatLineSuspectSeconds: 600, flatLineFailSeconds: 1200)

    @Test("A late or duplicate point gets gross range only and leaves the series state alone")
    func outOfOrder() {
        var controller = Self.controller(Self.waterTemp)
        _ = controller.assess(series: Self.key, timestamp: Self.minute(0), value: 28.0)
        _ = controller.assess(series: Self.key, timestamp: Self.minute(1), value: 28.2)

        let late = controller.assess(
            series: Self.key, timestamp: Self.minute(0).adding(milliseconds: 30_000), value: 45)
        #expect(late.isOutOfOrder && late.revision == nil && late.settledPrevious == nil)
        #expect(late.results == QCTestResults(grossRange: .fail))
        #expect(late.reading.quality == .fail && late.reading.flaggedBy == .grossRange)
        let duplicate = controller.assess(series: Self.key, timestamp: Self.minute(1), value: 28.2)
        #expect(duplicate.isOutOfOrder && duplicate.results == QCTestResults(grossRange: .pass))

        // The next point is judged against 28.2 and settles the spike test of 28.2 from 28.0.
        let next = controller.assess(series: Self.key, timestamp: Self.minute(2), value: 28.3)
        #expect(!next.isOutOfOrder)
        #expect(next.results.rateOfChange == .pass)
        #expect(next.settledPrevious?.spike == .pass)
        #expect(next.revision == nil)
    }

    @Test("Reloaded thresholds apply from the next point, including the pending spike verdict")
    func replaceThresholds() {
        var controller = Self.controller(QCThresholds(spikeSuspect: 1))
        _ = controller.assess(series: Self.key, timestamp: Self.minute(0), value: 10)
        _ = controller.assess(series: Self.key, timestamp: Self.minute(1), value: 10.5)
        let stricter = QCThresholdTable(byMetric: [Self.key.metric: QCThresholds(spikeSuspect: 0.1)])
        controller.replaceThresholds(stricter)
        #expect(controller.thresholds.byMetric[Self.key.metric]?.spikeSuspect == 0.1)
        let next = controller.assess(series: Self.key, timestamp: Self.minute(2), value: 10)
        #expect(
            next.revision
                == QualityRevision(series: Self.key, timestamp: Self.minute(1), quality: .suspect, flaggedBy: .spike))
    }

    @Test("Forgetting a series or a sensor starts it afresh")
    func forget() {
        let other = SeriesKey(sensor: "catba-buoy-1", metric: "salinity")
        let elsewhere = SeriesKey(sensor: "cathai-pier", metric: "water_temp")
        var controller = QualityController(
            thresholds: QCThresholdTable(byMetric: ["water_temp": Self.waterTemp, "salinity": Self.waterTemp]))
        for series in [Self.key, other, elsewhere] {
            _ = controller.assess(series: series, timestamp: Self.minute(0), value: 20)
        }
        #expect(controller.trackedSeriesCount == 3)
        controller.forget(series: Self.key)
        #expect(controller.trackedSeriesCount == 2)
        // A jump that would be a rate of change is the first point again, so it passes.
        let restart = controller.assess(series: Self.key, timestamp: Self.minute(1), value: 30)
        #expect(restart.results.rateOfChange == .pass && restart.settledPrevious == nil)
        controller.forget(sensor: "catba-buoy-1")
        #expect(controller.trackedSeriesCount == 1)
    }
}
