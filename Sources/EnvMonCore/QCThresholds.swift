/// Thresholds of the QARTOD tests for one series, in the metric's canonical unit.
/// A nil threshold means that test is not run (its result is "not evaluated").
package struct QCThresholds: Hashable, Sendable {
    /// Gross range fail span: the sensor's physical or instrument limits.
    package var failSpan: ClosedRange<Double>?
    /// Gross range suspect span: local climatology (Cát Bà), domain.md §1.6.
    package var suspectSpan: ClosedRange<Double>?
    /// Spike test ("average" method): |x[n-1] - (x[n-2] + x[n]) / 2| above these.
    package var spikeSuspect: Double?
    package var spikeFail: Double?
    /// Rate of change test: |dx/dt| in units per second above this is suspect.
    package var rateOfChangePerSecond: Double?
    /// Flat line test: a range below `flatLineTolerance` lasting this long is suspect / fail.
    package var flatLineTolerance: Double?
    package var flatLineSuspectSeconds: Double?
    package var flatLineFailSeconds: Double?

    package init(
        failSpan: ClosedRange<Double>? = nil, suspectSpan: ClosedRange<Double>? = nil,
        spikeSuspect: Double? = nil, spikeFail: Double? = nil,
        rateOfChangePerSecond: Double? = nil,
        flatLineTolerance: Double? = nil, flatLineSuspectSeconds: Double? = nil,
        flatLineFailSeconds: Double? = nil
    ) {
        self.failSpan = failSpan
        self.suspectSpan = suspectSpan
        self.spikeSuspect = spikeSuspect
        self.spikeFail = spikeFail
        self.rateOfChangePerSecond = rateOfChangePerSecond
        self.flatLineTolerance = flatLineTolerance
        self.flatLineSuspectSeconds = flatLineSuspectSeconds
        self.flatLineFailSeconds = flatLineFailSeconds
    }
}
