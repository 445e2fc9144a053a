/// One data file of a station for one measurement time, in the layout receivers of the provincial
/// Sở Tài nguyên và Môi trường take under Thông tư 10/2021/TT-BTNMT: named
/// `<province>_<facility>_<station>_<yyyyMMddHHmmss>.txt` in Vietnam time (UTC+7), one line per
/// parameter with five TAB-separated fields (code, value, unit, time `yyyyMMddHHmmss`, status
/// `00`/`01`/`02`), CRLF line ends, UTF-8.
package struct TT10DataFile: Hashable, Sendable {
    package struct Line: Hashable, Sendable {
        package var code: String
        package var value: Double
        package var unit: String
        package var status: DeviceStatus

        package init(code: String, value: Double, unit: String, status: DeviceStatus) {
            self.code = code
            self.value = value
            self.unit = unit
            self.status = status
        }
    }

    package var province: String
    package var facility: String
    package var station: String
    /// The measurement time the file is named and stamped with.
    package var time: Timestamp
    package var lines: [Line]
    package var decimals: Int

    package init(
        province: String, facility: String, station: String, time: Timestamp, lines: [Line], decimals: Int = 2
    ) {
        self.province = province
        self.facility = facility
        self.station = station
        self.time = time
        self.lines = lines
        self.decimals = decimals
    }

    /// `yyyyMMddHHmmss` in Vietnam time.
    package static func stamp(_ time: Timestamp) -> String {
        let local = time.milliseconds / 1000 + Int64(RFC3339.vietnamOffsetSeconds)
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let seconds = Int(local - days * 86_400)
        let date = RFC3339.civil(fromDays: Int(days))
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return
            "\(date.year)\(two(date.month))\(two(date.day))\(two(seconds / 3600))\(two(seconds / 60 % 60))\(two(seconds % 60))"
    }

    package var name: String { "\(province)_\(facility)_\(station)_\(Self.stamp(time)).txt" }

    package var text: String {
        let stamp = Self.stamp(time)
        return lines.map { line in
            [line.code, Self.format(line.value, decimals: decimals), line.unit, stamp, line.status.code]
                .joined(separator: "\t") + "\r\n"
        }.joined()
    }

    package var bytes: [UInt8] { Array(text.utf8) }

    /// A fixed number of decimals, rounded half away from zero, without an exponent or `-0`.
    package static func format(_ value: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 1e15 else { return value < 0 ? "-\(Int64(abs(value)))" : "\(Int64(value))" }
        let units = Int64(scaled)
        let whole = units / Int64(scale)
        var text = "\(whole)"
        if decimals > 0 {
            let fraction = String(units % Int64(scale))
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return value < 0 && units != 0 ? "-" + text : text
    }
}
