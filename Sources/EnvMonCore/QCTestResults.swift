/// The flag each QARTOD test gave one point. `nil` means the test was not run (its thresholds are
/// not configured, or the point arrived out of order): it then takes no part in the aggregate,
/// exactly as a test left out of `ioos_qc.qartod.qartod_compare`.
package struct QCTestResults: Hashable, Sendable {
    package var grossRange: QualityFlag?
    package var spike: QualityFlag?
    package var rateOfChange: QualityFlag?
    package var flatLine: QualityFlag?

    package init(
        grossRange: QualityFlag? = nil, spike: QualityFlag? = nil, rateOfChange: QualityFlag? = nil,
        flatLine: QualityFlag? = nil
    ) {
        self.grossRange = grossRange
        self.spike = spike
        self.rateOfChange = rateOfChange
        self.flatLine = flatLine
    }

    /// The flag of one test, e.g. `results[.spike]`; nil when it was not run.
    package subscript(test: QCTests) -> QualityFlag? {
        switch test {
        case .grossRange: grossRange
        case .spike: spike
        case .rateOfChange: rateOfChange
        case .flatLine: flatLine
        default: nil
        }
    }

    /// The flags of the tests that ran, in `QCTests.all` order.
    package var ranTests: [(test: QCTests, flag: QualityFlag)] {
        QCTests.all.compactMap { test, _ in self[test].map { (test, $0) } }
    }

    /// `qartod_compare` of the tests that ran; not evaluated when none ran. Taken field by field,
    /// not through `ranTests`: it runs for every reading, and that array would be allocated each time.
    package var aggregate: QualityFlag {
        Self.stronger(Self.stronger(grossRange, spike), Self.stronger(rateOfChange, flatLine)) ?? .notEvaluated
    }

    private static func stronger(_ first: QualityFlag?, _ second: QualityFlag?) -> QualityFlag? {
        guard let first else { return second }
        guard let second else { return first }
        return second.precedence > first.precedence ? second : first
    }

    /// The tests whose own flag is suspect or fail.
    package var flaggedBy: QCTests {
        var tests: QCTests = []
        if Self.raises(grossRange) { tests.insert(.grossRange) }
        if Self.raises(spike) { tests.insert(.spike) }
        if Self.raises(rateOfChange) { tests.insert(.rateOfChange) }
        if Self.raises(flatLine) { tests.insert(.flatLine) }
        return tests
    }

    private static func raises(_ flag: QualityFlag?) -> Bool { flag == .suspect || flag == .fail }
}
