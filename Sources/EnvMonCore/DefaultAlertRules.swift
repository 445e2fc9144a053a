/// Default alert rules for the Cát Hải network (domain.md §1.1, §1.3, §1.4), each naming its basis.
///
/// QCVN limits apply to laboratory methods; a sensor exceeding one is an indicative exceedance,
/// not a legal finding (hence "tham chiếu" in every basis). Timings (`for`, repeat, flap) and the
/// weather thresholds are engineering defaults, not regulation. The config may override any rule
/// by id or add its own.
package enum DefaultAlertRules {
    /// Sea water at cage sites and beaches, air (QCVN 05:2023 and VN_AQI), weather, no data, QC fault.
    package static let catHai: [AlertRule] = seaWater + air + weather + network

    static func minutes(_ count: Int64) -> Duration { .seconds(count * 60) }
    static func hours(_ count: Int64) -> Duration { .seconds(count * 3600) }

    /// 6 raise/resolve edges in an hour → flapping until 30 quiet minutes.
    static let flap = FlapSuppression(transitions: 6, window: hours(1), quiet: minutes(30))

    static let qcvn10 = "QCVN 10-MT:2015/BTNMT Bảng 1 (vùng biển ven bờ)"
    static let indicative = "tham chiếu, số liệu quan trắc tự động, chưa kiểm định"

    // MARK: Sea water (QCVN 10)

    static let seaWater: [AlertRule] = [
        AlertRule(
            id: "do_low_aquaculture", condition: .below(5.0, clear: 5.3), metric: "do",
            siteKinds: [.aquaculture], severity: .critical, forDuration: minutes(5),
            repeatInterval: minutes(30), flapSuppression: flap,
            basis: "\(qcvn10), nuôi trồng thủy sản và bảo tồn thủy sinh: DO ≥ 5 mg/L; \(indicative)",
            descriptionVietnamese: "Oxy hòa tan thấp tại lồng bè: nguy cơ cá chết ngạt",
            descriptionEnglish: "Low dissolved oxygen at the cages: risk of fish kill"),
        AlertRule(
            id: "do_low_beach", condition: .below(4.0, clear: 4.3), metric: "do",
            siteKinds: [.beach], severity: .warning, forDuration: minutes(10),
            repeatInterval: hours(2), flapSuppression: flap,
            basis: "\(qcvn10), bãi tắm và thể thao dưới nước: DO ≥ 4 mg/L; \(indicative)",
            descriptionVietnamese: "Oxy hòa tan thấp tại bãi tắm",
            descriptionEnglish: "Low dissolved oxygen at the beach"),
        AlertRule(
            id: "ph_out_of_band", condition: .outside(low: 6.5, high: 8.5, clearLow: 6.6, clearHigh: 8.4),
            metric: "ph", severity: .warning, forDuration: minutes(10),
            repeatInterval: hours(2), flapSuppression: flap,
            basis: "\(qcvn10), mọi mục đích: pH 6,5–8,5 (QCVN 10:2023 Bảng 3 cũng vậy); \(indicative)",
            descriptionVietnamese: "pH nước biển ngoài khoảng 6,5–8,5",
            descriptionEnglish: "Sea-water pH outside 6.5–8.5"),
        AlertRule(
            id: "tss_high", condition: .above(50, clear: 45), metric: "tss",
            siteKinds: [.aquaculture, .beach], severity: .warning, forDuration: minutes(15),
            repeatInterval: hours(2), flapSuppression: flap,
            basis: "\(qcvn10), nuôi trồng thủy sản và bãi tắm: TSS ≤ 50 mg/L; \(indicative)",
            descriptionVietnamese: "Tổng chất rắn lơ lửng vượt 50 mg/L",
            descriptionEnglish: "Total suspended solids above 50 mg/L"),
        AlertRule(
            id: "nh4_high_aquaculture", condition: .above(0.1, clear: 0.09), metric: "nh4",
            siteKinds: [.aquaculture], severity: .warning, forDuration: minutes(15),
            repeatInterval: hours(2), flapSuppression: flap,
            basis: "\(qcvn10), nuôi trồng thủy sản: amoni (N) ≤ 0,1 mg/L (QCVN 10:2023 Bảng 2: 0,1); \(indicative)",
            descriptionVietnamese: "Amoni vượt 0,1 mg/L tại vùng nuôi",
            descriptionEnglish: "Ammonium above 0.1 mg/L at the farm"),
        AlertRule(
            id: "nh4_high_beach", condition: .above(0.5, clear: 0.45), metric: "nh4",
            siteKinds: [.beach], severity: .warning, forDuration: minutes(15),
            repeatInterval: hours(2), flapSuppression: flap,
            basis: "\(qcvn10), bãi tắm: amoni (N) ≤ 0,5 mg/L (QCVN 10:2023 Bảng 2 chặt hơn: 0,1); \(indicative)",
            descriptionVietnamese: "Amoni vượt 0,5 mg/L tại bãi tắm",
            descriptionEnglish: "Ammonium above 0.5 mg/L at the beach"),
    ]

    // MARK: Air (QCVN 05:2023, VN_AQI)

    static let qcvn05 = "QCVN 05:2023/BTNMT Bảng 1"

    static let air: [AlertRule] = [
        AlertRule(
            id: "pm25_24h_high", condition: .above(45, clear: 42), metric: "pm25", severity: .warning,
            repeatInterval: hours(6), flapSuppression: flap, aggregation: .rollingMean(hours(24)),
            basis: "\(qcvn05): PM2.5 trung bình 24 giờ ≤ 45 µg/Nm³ từ 01/01/2026 (50 trước đó); \(indicative)",
            descriptionVietnamese: "Bụi PM2.5 trung bình 24 giờ vượt quy chuẩn",
            descriptionEnglish: "PM2.5 24-hour mean above the standard"),
        AlertRule(
            id: "pm10_24h_high", condition: .above(100, clear: 95), metric: "pm10", severity: .warning,
            repeatInterval: hours(6), flapSuppression: flap, aggregation: .rollingMean(hours(24)),
            basis: "\(qcvn05): PM10 trung bình 24 giờ ≤ 100 µg/Nm³; \(indicative)",
            descriptionVietnamese: "Bụi PM10 trung bình 24 giờ vượt quy chuẩn",
            descriptionEnglish: "PM10 24-hour mean above the standard"),
        AlertRule(
            id: "o3_1h_high", condition: .above(200, clear: 190), metric: "o3", severity: .warning,
            repeatInterval: hours(2), flapSuppression: flap, aggregation: .rollingMean(hours(1)),
            basis: "\(qcvn05): O3 trung bình 1 giờ ≤ 200 µg/Nm³; \(indicative)",
            descriptionVietnamese: "Ozon trung bình 1 giờ vượt quy chuẩn",
            descriptionEnglish: "Ozone 1-hour mean above the standard"),
        AlertRule(
            id: "o3_8h_high", condition: .above(120, clear: 115), metric: "o3", severity: .warning,
            repeatInterval: hours(6), flapSuppression: flap, aggregation: .rollingMean(hours(8)),
            basis: "\(qcvn05): O3 trung bình 8 giờ ≤ 120 µg/Nm³; \(indicative)",
            descriptionVietnamese: "Ozon trung bình 8 giờ vượt quy chuẩn",
            descriptionEnglish: "Ozone 8-hour mean above the standard"),
        AlertRule(
            id: "no2_1h_high", condition: .above(200, clear: 190), metric: "no2", severity: .warning,
            repeatInterval: hours(2), flapSuppression: flap, aggregation: .rollingMean(hours(1)),
            basis: "\(qcvn05): NO2 trung bình 1 giờ ≤ 200 µg/Nm³; \(indicative)",
            descriptionVietnamese: "NO2 trung bình 1 giờ vượt quy chuẩn",
            descriptionEnglish: "NO2 1-hour mean above the standard"),
        AlertRule(
            id: "aqi_bad", condition: .aqi(atLeast: .bad), metric: "aqi", severity: .warning,
            escalation: AlertEscalation(.critical, when: .aqi(atLeast: .veryBad)),
            repeatInterval: hours(3), flapSuppression: flap,
            basis: "Quyết định 1459/QĐ-TCMT (VN_AQI giờ): mức Xấu (151–200), Rất xấu từ 201 là khẩn cấp",
            descriptionVietnamese: "Chất lượng không khí xấu (VN_AQI ≥ 151)",
            descriptionEnglish: "Bad air quality (VN_AQI ≥ 151)"),
    ]

    // MARK: Weather

    static let weather: [AlertRule] = [
        AlertRule(
            id: "wind_storm", condition: .above(17.2, clear: 15.0, inclusive: true), metric: "wind_speed",
            severity: .warning,
            escalation: AlertEscalation(.critical, when: .above(24.5, clear: 22.0, inclusive: true)),
            forDuration: minutes(2), repeatInterval: hours(1), flapSuppression: flap,
            basis: "Thang Beaufort: cấp 8 (≥ 17,2 m/s) là bão, cấp 10 (≥ 24,5 m/s) bão mạnh; ngưỡng vận hành",
            descriptionVietnamese: "Gió mạnh cấp bão: kiểm tra neo lồng bè, tàu thuyền",
            descriptionEnglish: "Storm-force wind: check cage moorings and boats"),
        AlertRule(
            id: "rain_heavy", condition: .above(50, clear: 30), metric: "rain_rate", severity: .warning,
            forDuration: minutes(5), repeatInterval: hours(1), flapSuppression: flap,
            basis: "Ngưỡng vận hành: cường độ mưa > 50 mm/h (mưa rất to, nguy cơ ngập, sạt lở)",
            descriptionVietnamese: "Mưa rất to",
            descriptionEnglish: "Very heavy rain"),
    ]

    // MARK: The network itself

    static let network: [AlertRule] = [
        AlertRule(
            id: "no_data", condition: .noData(after: minutes(15)), metric: "*", severity: .warning,
            escalation: AlertEscalation(.critical, when: .noData(after: hours(2))),
            repeatInterval: hours(6), flapSuppression: flap,
            basis: "Vận hành mạng quan trắc: không nhận số liệu trong 15 phút",
            descriptionVietnamese: "Trạm không gửi số liệu",
            descriptionEnglish: "Sensor sends no data"),
        AlertRule(
            id: "qc_fault", condition: .qcFault(consecutive: 10, lasting: minutes(30)), metric: "*",
            severity: .warning, repeatInterval: hours(12), flapSuppression: flap,
            basis: "Kiểm soát chất lượng QARTOD (IOOS): cờ fail kéo dài, nghi cảm biến hỏng",
            descriptionVietnamese: "Cảm biến cho số liệu lỗi liên tục",
            descriptionEnglish: "Sensor keeps failing quality control"),
    ]
}
