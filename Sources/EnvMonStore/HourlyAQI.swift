public import EnvMonCore

/// One air station's VN_AQI for one closed UTC hour, as the daemon stores it in `aqi_hourly` and
/// publishes it on `<prefix>/aqi/<site>`.
public struct HourlyAQI: Hashable, Sendable {
    public var sensor: String
    public var site: String
    /// The start of the UTC hour the index is for.
    public var hour: Timestamp
    /// The published AQI: the largest sub-index, rounded half-up.
    public var value: Int
    /// The parameter with the largest sub-index (nil only if a future source cannot tell).
    public var dominant: VNAQI.Parameter?
    /// Every sub-index computed, rounded half-up as the decision prints them.
    public var subIndices: [VNAQI.Parameter: Int]
    public var computedAt: Timestamp

    public init(
        sensor: String, site: String, hour: Timestamp, value: Int, dominant: VNAQI.Parameter?,
        subIndices: [VNAQI.Parameter: Int], computedAt: Timestamp
    ) {
        self.sensor = sensor
        self.site = site
        self.hour = hour
        self.value = value
        self.dominant = dominant
        self.subIndices = subIndices
        self.computedAt = computedAt
    }

    /// The record of an index computed for `hour`.
    public init(sensor: String, site: String, hour: Timestamp, index: VNAQI.Index, computedAt: Timestamp) {
        self.init(
            sensor: sensor, site: site, hour: hour, value: index.value, dominant: index.dominantParameter,
            subIndices: Dictionary(index.subIndices.map { ($0.parameter, $0.rounded) }) { first, _ in first },
            computedAt: computedAt)
    }

    /// The band of Bảng 1 the value falls in.
    public var category: VNAQI.Category { VNAQI.Category(aqi: value) }

    /// `{"pm25":73,"pm10":41}`, in the decision's order (PM2.5, PM10, O3 1 h and 8 h, NO2, SO2,
    /// CO), so the same index always gives the same bytes (stored, and in retained messages).
    public var subIndicesJSON: String {
        let members = Self.parameterOrder.compactMap { parameter in
            subIndices[parameter].map { "\(JSONText.quote(parameter.rawValue)):\($0)" }
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// The sub-indices of `subIndicesJSON`; members that are not a known parameter with an
    /// integer value are left out.
    static func subIndices(fromJSON text: String) -> [VNAQI.Parameter: Int] {
        guard case .object(let members) = try? JSONParser.parse(text) else { return [:] }
        var result: [VNAQI.Parameter: Int] = [:]
        for member in members {
            guard let parameter = VNAQI.Parameter(rawValue: member.key), case .number(let number) = member.value,
                let value = Int(exactly: number)
            else { continue }
            result[parameter] = value
        }
        return result
    }

    private static let parameterOrder: [VNAQI.Parameter] = [.pm25, .pm10, .o3OneHour, .o3EightHour, .no2, .so2, .co]
}
