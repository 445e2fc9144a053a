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

    /// `qartod_compare` of the tests that ran; not evaluated when none ran.
    package var aggregate: QualityFlag { QualityFlag.aggregate(ranTests.map(\.flag)) }

    /// The tests whose own flag is suspect or fail.
    package var flaggedBy: QCTests {
        var tests: QCTests = []
        for (test, flag) in ranTests where flag == .suspect || flag == .fail {
            tests.insert(test)
        }
        return tests
    }
}
