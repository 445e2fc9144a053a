/// One metric the network measures: its canonical unit, the names it may arrive under and its
/// default QARTOD thresholds.
package struct MetricDefinition: Hashable, Sendable {
    package enum Medium: String, Sendable, Hashable, CaseIterable, Codable {
        case seaWater = "sea_water"
        case air
        case weather
        case device
    }

    /// Canonical id, e.g. `water_temp`.
    package var id: String
    package var nameEnglish: String
    package var nameVietnamese: String
    /// Canonical unit as shown to people, e.g. `°C`, `mg/L`, `µg/m³`.
    package var unit: String
    package var dimension: PhysicalDimension
    package var medium: Medium
    /// Other names sensors use for it (lower-case compared), e.g. `temp`, `DO`.
    package var aliases: [String]
    /// Molar mass in g/mol for gases, so ppb/ppm convert to µg/m³ at 25 °C, 1 atm (QCVN reference).
    package var molarMass: Double?
    package var qc: QCThresholds

    package init(
        id: String, nameEnglish: String, nameVietnamese: String, unit: String,
        dimension: PhysicalDimension, medium: Medium, aliases: [String] = [], molarMass: Double? = nil,
        qc: QCThresholds = QCThresholds()
    ) {
        self.id = id
        self.nameEnglish = nameEnglish
        self.nameVietnamese = nameVietnamese
        self.unit = unit
        self.dimension = dimension
        self.medium = medium
        self.aliases = aliases
        self.molarMass = molarMass
        self.qc = qc
    }
}
