/// A SenML record in RFC 8428 resolved form (§4.6): base fields applied, absolute time.
package struct SenMLRecord: Hashable, Sendable {
    /// The full name, base name + name.
    package var name: String
    /// The base name that was in force (empty when none). Not part of the resolved form; EnvMon
    /// reads it as the sensor and `localName` as the metric.
    package var baseName: String
    /// The record's own `n` (empty when absent).
    package var localName: String
    /// `u`, else the base unit in force; nil when neither.
    package var unit: String?
    /// `bv` + `v`, or `vs`/`vb`/`vd`; nil for a sum-only record.
    package var value: SenMLValue?
    /// `bs` + `s`; nil when neither is present.
    package var sum: Double?
    /// Absolute time, POSIX seconds (`bt` + `t`, relative times resolved against "now").
    package var time: Double
    /// `ut`: the most seconds until the sensor's next reading.
    package var updateTime: Double?
    /// The pack's version (`bver`, default 10). RFC 8428 shows it in resolved records only when
    /// it is not 10.
    package var version: Int
    /// 0-based position of the record in the pack, for messages and stable ordering.
    package var index: Int
    /// The time was relative (below 2^28 s) and so resolved against "now", the receive time.
    package var timeIsRelative: Bool

    package init(
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
package enum SenMLValue: Hashable, Sendable {
    case number(Double)
    case string(String)
    case boolean(Bool)
    /// base64url without padding, as sent (not decoded: EnvMon stores no binary values).
    case data(String)

    package var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }
}
