package import EnvMonCore

/// One air station's VN_AQI for one closed UTC hour, as the daemon stores it in `aqi_hourly` and
/// publishes it on `<prefix>/aqi/<site>`.
package struct HourlyAQI: Hashable, Sendable {
    package var sensor: String
    package var site: String
    /// The start of the UTC hour the index is for.
    package var hour: Timestamp
    /// The published AQI: the largest sub-index, rounded half-up.
    package var value: Int
    /// The parameter with the largest sub-index (nil only if a future source cannot tell).
    package var dominant: VNAQI.Parameter?
    /// Every sub-index computed, rounded half-up as the decision prints them.
    package var subIndices: [VNAQI.Parameter: Int]
    package var computedAt: Timestamp

    package init(
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
    package init(sensor: String, site: String, hour: Timestamp, index: VNAQI.Index, computedAt: Timestamp) {
        self.init(
            sensor: sensor, site: site, hour: hour, value: index.value, dominant: index.dominantParameter,
            subIndices: Dictionary(index.subIndices.map { ($0.parameter, $0.rounded) }) { first, _ in first },
            computedAt: computedAt)
    }

    /// The band of Bảng 1 the value falls in.
    package var category: VNAQI.Category { VNAQI.Category(aqi: value) }

    /// `{"pm25":73,"pm10":41}`, in the decision's order (PM2.5, PM10, O3 1 h and 8 h, NO2, SO2,
    /// CO), so the same index always gives the same bytes (stored, and in retained messages).
    package var subIndicesJSON: String {
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
