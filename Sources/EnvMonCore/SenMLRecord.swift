/// A SenML record in RFC 8428 resolved form (§4.6): base fields applied, absolute time.
public struct SenMLRecord: Hashable, Sendable {
    /// The full name, base name + name.
    public var name: String
    /// The base name that was in force (empty when none). Not part of the resolved form; EnvMon
    /// reads it as the sensor and `localName` as the metric.
    public var baseName: String
    /// The record's own `n` (empty when absent).
    public var localName: String
    /// `u`, else the base unit in force; nil when neither.
    public var unit: String?
    /// `bv` + `v`, or `vs`/`vb`/`vd`; nil for a sum-only record.
    public var value: SenMLValue?
    /// `bs` + `s`; nil when neither is present.
    public var sum: Double?
    /// Absolute time, POSIX seconds (`bt` + `t`, relative times resolved against "now").
    public var time: Double
    /// `ut`: the most seconds until the sensor's next reading.
    public var updateTime: Double?
    /// The pack's version (`bver`, default 10). RFC 8428 shows it in resolved records only when
    /// it is not 10.
    public var version: Int
    /// 0-based position of the record in the pack, for messages and stable ordering.
    public var index: Int
    /// The time was relative (below 2^28 s) and so resolved against "now", the receive time.
    public var timeIsRelative: Bool

    public init(
        name: String, baseName: String = "", localName: String? = nil, unit: String? = nil,
        value: SenMLValue? = nil, sum: Double? = nil, time: Double, updateTime: Double? = nil,
        version: Int = SenML.defaultVersion, index: Int = 0, timeIsRelative: Bool = false
    ) {
        self.timeIsRelative = timeIsRelative
        self.name = name
        self.baseName = baseName
        self.localName = localName ?? String(name.dropFirst(baseName.count))
        self.unit = unit
        self.value = value
        self.sum = sum
        self.time = time
        self.updateTime = updateTime
        self.version = version
        self.index = index
    }
}

/// The value of a SenML record: exactly one of `v`, `vs`, `vb`, `vd`.
public enum SenMLValue: Hashable, Sendable {
    case number(Double)
    case string(String)
    case boolean(Bool)
    /// base64url without padding, as sent (not decoded: EnvMon stores no binary values).
    case data(String)

    public var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }
}
