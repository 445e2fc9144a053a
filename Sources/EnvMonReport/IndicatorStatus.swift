/// An indicator as the report shows it: its newest figure for the report's period, whether it
/// meets its target, and the change from the figure before.
package struct IndicatorStatus: Hashable, Sendable {
    package enum Status: String, Sendable, Hashable, CaseIterable {
        /// đạt
        case met
        /// chưa đạt
        case notMet = "not_met"
        /// chưa có chỉ tiêu
        case noTarget = "no_target"
    }

    package var current: IndicatorEntry
    package var previous: IndicatorEntry?

    package init(current: IndicatorEntry, previous: IndicatorEntry?) {
        self.current = current
        self.previous = previous
    }

    package var status: Status {
        switch current.meetsTarget {
        case .some(true): .met
        case .some(false): .notMet
        case .none: .noTarget
        }
    }

    /// current − previous, when both exist and are in the same unit.
    package var change: Double? {
        guard let previous, previous.unit == current.unit else { return nil }
        return current.value - previous.value
    }
}
