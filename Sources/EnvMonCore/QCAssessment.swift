/// What `QualityController.assess` concluded about one new point.
package struct QCAssessment: Hashable, Sendable {
    /// The new point with its aggregate flag and the tests that raised it. Its spike result is
    /// provisional (not evaluated) until the next point of the series arrives.
    package var reading: Reading
    /// Per-test flags of the new point.
    package var results: QCTestResults
    /// A changed verdict on the previous point of the series, now that its spike test could be
    /// judged; nil when its aggregate flag and `flaggedBy` stayed the same.
    package var revision: QualityRevision?
    /// The final per-test flags of the previous point, settled by this one; nil when this point
    /// settled nothing (first point of the series, or this point arrived out of order).
    package var settledPrevious: QCTestResults?
    /// The point was not newer than the last one of its series, so only the gross range test
    /// judged it and the streaming state was left alone.
    package var isOutOfOrder: Bool

    package init(
        reading: Reading, results: QCTestResults, revision: QualityRevision? = nil,
        settledPrevious: QCTestResults? = nil, isOutOfOrder: Bool = false
    ) {
        self.reading = reading
        self.results = results
        self.revision = revision
        self.settledPrevious = settledPrevious
        self.isOutOfOrder = isOutOfOrder
    }
}
