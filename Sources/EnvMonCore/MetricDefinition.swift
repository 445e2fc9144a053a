/// One metric the network measures: its canonical unit, the names it may arrive under and its
/// default QARTOD thresholds.
public struct MetricDefinition: Hashable, Sendable {
    public enum Medium: String, Sendable, Hashable, CaseIterable, Codable {
        case seaWater = "sea_water"
        case air
        case weather
        case device
    }

    /// Canonical id, e.g. `water_temp`.
    public var id: String
    public var nameEnglish: String
    public var nameVietnamese: String
    /// Canonical unit as shown to people, e.g. `°C`, `mg/L`, `µg/m³`.
    public var unit: String
    public var dimension: PhysicalDimension
    public var medium: Medium
    /// Other names sensors use for it (lower-case compared), e.g. `temp`, `DO`.
    public var aliases: [String]
    /// Molar mass in g/mol for gases, so ppb/ppm convert to µg/m³ at 25 °C, 1 atm (QCVN reference).
    public var molarMass: Double?
    public var qc: QCThresholds

    public init(
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
