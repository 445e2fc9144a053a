/// What the measuring device was doing when it took a reading, as Thông tư 10/2021/TT-BTNMT asks a
/// station's data logger to keep with every value: measuring, calibrating, or in error. Stored with
/// every raw reading; only `measuring` readings count for roll-ups, QCVN comparisons and VN_AQI.
package enum DeviceStatus: UInt8, Hashable, Sendable, CaseIterable, Codable {
    case measuring = 0
    case calibrating = 1
    case deviceError = 2

    /// The two-digit code of the TT 10/2021 data file (`00`, `01`, `02`).
    package var code: String {
        switch self {
        case .measuring: "00"
        case .calibrating: "01"
        case .deviceError: "02"
        }
    }

    /// The name used in JSON and CSV.
    package var name: String {
        switch self {
        case .measuring: "measuring"
        case .calibrating: "calibrating"
        case .deviceError: "device_error"
        }
    }

    /// A status as a device reports it in its payload: the TT 10 code as a number (0, 1, 2) or a
    /// string ("00", "01", "02"), or a name (measuring, calibrating, maintenance, error, fault,
    /// device_error; any case). nil when it is none of these.
    package init?(reported text: String) {
        switch text.lowercased() {
        case "0", "00", "measuring", "normal", "ok": self = .measuring
        case "1", "01", "calibrating", "calibration", "maintenance": self = .calibrating
        case "2", "02", "error", "fault", "device_error": self = .deviceError
        default: return nil
        }
    }

    package init?(reported number: Double) {
        guard number == number.rounded(), let raw = UInt8(exactly: number), let status = DeviceStatus(rawValue: raw)
        else { return nil }
        self = status
    }
}
