/// QARTOD primary flags (IOOS QARTOD manuals; numbering as in `ioos_qc`).
package enum QualityFlag: UInt8, Sendable, Hashable, CaseIterable, Codable {
    case pass = 1
    case notEvaluated = 2
    case suspect = 3
    case fail = 4
    case missing = 9

    package var name: String {
        switch self {
        case .pass: "pass"
        case .notEvaluated: "not_evaluated"
        case .suspect: "suspect"
        case .fail: "fail"
        case .missing: "missing"
        }
    }

    /// Precedence when several tests flag one point, as `ioos_qc.qartod.qartod_compare`:
    /// fail > suspect > pass > not evaluated > missing.
    var precedence: Int {
        switch self {
        case .missing: 0
        case .notEvaluated: 1
        case .pass: 2
        case .suspect: 3
        case .fail: 4
        }
    }

    /// The aggregate flag of several test results.
    package static func aggregate<S: Sequence>(_ flags: S) -> QualityFlag where S.Element == QualityFlag {
        flags.max { $0.precedence < $1.precedence } ?? .notEvaluated
    }

    /// Alerts evaluate only data that passed or is merely suspect (DESIGN.md).
    package var isUsableForAlerts: Bool { self == .pass || self == .suspect }
}

/// Which QARTOD tests raised a point to suspect or fail. Stored as a bit set next to the flag.
package struct QCTests: OptionSet, Sendable, Hashable {
    package let rawValue: UInt8
    package init(rawValue: UInt8) { self.rawValue = rawValue }

    package static let grossRange = QCTests(rawValue: 1 << 0)
    package static let spike = QCTests(rawValue: 1 << 1)
    package static let rateOfChange = QCTests(rawValue: 1 << 2)
    package static let flatLine = QCTests(rawValue: 1 << 3)

    package static let all: [(QCTests, String)] = [
        (.grossRange, "gross_range"), (.spike, "spike"),
        (.rateOfChange, "rate_of_change"), (.flatLine, "flat_line"),
    ]

    /// Test names, e.g. `["spike", "flat_line"]`.
    package var names: [String] { Self.all.filter { contains($0.0) }.map(\.1) }
}
