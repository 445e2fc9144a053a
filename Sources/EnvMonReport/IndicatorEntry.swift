/// One figure of one indicator for one period, as the district reported it.
package struct IndicatorEntry: Hashable, Sendable {
    /// How the source states the figure: "gần 900" is not 900, and "trên 70%" is more than 70.
    package enum Qualifier: String, Sendable, Hashable, CaseIterable {
        case exact
        /// "gần": a little below the value.
        case nearly
        /// "trên", "hơn": above the value.
        case over
    }

    /// How the value is compared with the target.
    package enum Comparison: String, Sendable, Hashable, CaseIterable {
        case atLeast = ">="
        case above = ">"
        case equal = "="
        case atMost = "<="
        case below = "<"
    }

    package var id: String
    package var group: String
    package var nameVietnamese: String
    package var nameEnglish: String
    package var unit: String
    package var unitEnglish: String
    package var value: Double
    package var qualifier: Qualifier
    package var target: Double?
    package var targetComparison: Comparison
    package var targetBasis: String?
    package var period: ReportPeriod
    /// Where the figure stands in the source report, e.g. `I.2.2`.
    package var section: String
    package var quote: String?

    package init(
        id: String, group: String, nameVietnamese: String, nameEnglish: String, unit: String,
        unitEnglish: String? = nil, value: Double, qualifier: Qualifier = .exact, target: Double? = nil,
        targetComparison: Comparison = .atLeast, targetBasis: String? = nil, period: ReportPeriod, section: String,
        quote: String? = nil
    ) {
        self.id = id
        self.group = group
        self.nameVietnamese = nameVietnamese
        self.nameEnglish = nameEnglish
        self.unit = unit
        self.unitEnglish = unitEnglish ?? unit
        self.value = value
        self.qualifier = qualifier
        self.target = target
        self.targetComparison = targetComparison
        self.targetBasis = targetBasis
        self.period = period
        self.section = section
        self.quote = quote
    }

    package func name(_ language: ReportLanguage) -> String {
        language == .vietnamese ? nameVietnamese : nameEnglish
    }

    package func unit(_ language: ReportLanguage) -> String {
        language == .vietnamese ? unit : unitEnglish
    }

    /// Whether the figure meets its target; nil without a target. A qualified figure is judged by
    /// what it claims: "over 70" meets "> 70", "nearly 90" does not meet ">= 90".
    package var meetsTarget: Bool? {
        guard let target else { return nil }
        let nudge: Double =
            switch qualifier {
            case .exact: 0
            case .nearly: -1e-9 * max(1, abs(value))
            case .over: 1e-9 * max(1, abs(value))
            }
        let claimed = value + nudge
        return switch targetComparison {
        case .atLeast: claimed >= target
        case .above: claimed > target
        case .equal: qualifier == .exact && value == target
        case .atMost: claimed <= target
        case .below: claimed < target
        }
    }
}
