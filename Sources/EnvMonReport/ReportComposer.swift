internal import EnvMonConfig
public import EnvMonCore

/// A report in one language, laid out as a Vietnamese administrative report (Nghị định 30/2020,
/// Phụ lục I): agency and national motto, number and dateline, "BÁO CÁO" and subject, sections
/// I–IV, recipients and signature, then an appendix. The English edition mirrors it line for line.
public struct ComposedReport: Sendable {
    public var language: ReportLanguage
    /// Issuing agency, top left: "ỦY BAN NHÂN DÂN" / "ĐẶC KHU CÁT HẢI".
    public var agency: [String]
    /// Quốc hiệu and Tiêu ngữ, top right.
    public var nation: [String]
    public var number: String
    public var dateline: String
    public var title: String
    public var subject: String
    public var blocks: [ReportBlock]
    public var recipientsLabel: String
    public var recipients: [String]
    public var signature: [String]
    public var signer: String?
    public var appendixTitle: String
    public var appendix: [ReportBlock]
}

/// Turns a `ReportDocument` into the words of one edition.
public struct ReportComposer: Sendable {
    public var document: ReportDocument
    public var language: ReportLanguage
    public var catalogue: MetricCatalogue
    let format: ReportFormatter

    public init(document: ReportDocument, language: ReportLanguage, catalogue: MetricCatalogue = .standard) {
        self.document = document
        self.language = language
        self.catalogue = catalogue
        self.format = ReportFormatter(language)
    }

    var vi: Bool { language == .vietnamese }

    /// Picks the Vietnamese or the English wording.
    func t(_ vietnamese: String, _ english: String) -> String { vi ? vietnamese : english }

    public func compose() -> ComposedReport {
        let periodName = format.periodName(document.period)
        var blocks: [ReportBlock] = []
        blocks.append(.paragraph(introduction(periodName)))
        blocks += networkSection()
        blocks += indicatorSection()
        blocks += difficultiesSection()
        blocks += tasksSection()
        return ComposedReport(
            language: language,
            agency: [t("ỦY BAN NHÂN DÂN", "PEOPLE'S COMMITTEE"), t("ĐẶC KHU CÁT HẢI", "CÁT HẢI SPECIAL ZONE")],
            nation: [
                t("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM"),
                t("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"),
            ],
            number: t("Số: ", "No.: ") + (document.number ?? "…/BC-UBND"),
            dateline: format.dateline(document.generatedAt, place: "Cát Hải"),
            title: t("BÁO CÁO", "REPORT"),
            subject: t(
                "Tình hình mạng quan trắc môi trường tự động, chất lượng môi trường và kết quả chuyển đổi số \(periodName)",
                "Automatic environmental monitoring network, environmental quality and digital-transformation results, \(periodName)"
            ),
            blocks: blocks,
            recipientsLabel: t("Nơi nhận:", "Recipients:"),
            recipients: [
                t("Sở Khoa học và Công nghệ (để b/c);", "Department of Science and Technology (for reporting);"),
                t("Sở Nông nghiệp và Môi trường;", "Department of Agriculture and Environment;"),
                t("CT, các PCT UBND Đặc khu;", "Chair and Vice-Chairs of the Special Zone People's Committee;"),
                t("Lưu: VT, VHXH.", "Archive: VT, VHXH."),
            ],
            signature: [
                t("TM. ỦY BAN NHÂN DÂN", "ON BEHALF OF THE PEOPLE'S COMMITTEE"), t("KT. CHỦ TỊCH", "PP. CHAIR"),
                t("PHÓ CHỦ TỊCH", "VICE-CHAIR"),
            ],
            signer: document.signer,
            appendixTitle: t("PHỤ LỤC", "APPENDIX"),
            appendix: appendix())
    }

    func introduction(_ periodName: String) -> String {
        let span = format.span(document.period)
        return t(
            "Ủy ban nhân dân đặc khu Cát Hải báo cáo tình hình vận hành hệ thống thu thập dữ liệu môi trường qua công "
                + "nghệ IoT (nhiệm vụ trọng tâm nêu tại mục I.3 Báo cáo kết quả chuyển đổi số năm 2025), chất lượng "
                + "môi trường quan trắc được và các chỉ số chuyển đổi số \(periodName) (\(span)), cụ thể như sau:",
            "The People's Committee of the Cát Hải special zone reports on the operation of the IoT environmental "
                + "data collection system (a key task named in section I.3 of the 2025 digital-transformation report), "
                + "the environmental quality it measured, and the digital-transformation indicators for \(periodName) "
                + "(\(span)), as follows:")
    }

    // MARK: - Names

    func metricName(_ metric: String) -> String {
        guard let definition = catalogue.definition(named: metric) else { return metric }
        return vi ? definition.nameVietnamese : definition.nameEnglish
    }

    func siteKindName(_ kind: SiteSettings.Kind) -> String {
        switch kind {
        case .aquaculture: t("nuôi trồng thủy sản", "aquaculture")
        case .beach: t("bãi tắm", "beach")
        case .town: t("thị trấn", "town")
        case .port: t("cảng", "port")
        case .coast: t("ven biển", "coast")
        case .island: t("đảo", "island")
        }
    }

    func referenceColumn(_ reference: QCVNReference) -> String {
        switch reference.column {
        case "aquaculture": t("cột nuôi trồng thủy sản", "aquaculture column")
        case "beach": t("cột bãi tắm, thể thao dưới nước", "beach and water-sports column")
        case "other": t("cột các nơi khác", "other-places column")
        default: reference.averaging == .day ? t("trung bình 24 giờ", "24-h mean") : t("trung bình 1 giờ", "1-h mean")
        }
    }

    func severityName(_ severity: String) -> String {
        switch severity {
        case "critical": t("nghiêm trọng", "critical")
        case "warning": t("cảnh báo", "warning")
        case "info": t("thông tin", "information")
        default: severity
        }
    }

    func statusName(_ status: IndicatorStatus.Status) -> String {
        switch status {
        case .met: t("Đạt", "Met")
        case .notMet: t("Chưa đạt", "Not met")
        case .noTarget: t("Chưa có chỉ tiêu", "No target")
        }
    }

    func siteName(_ id: String) -> String {
        document.network.sites.first { $0.site == id }?.name ?? id
    }

    /// " mg/L" after a value; nothing for pH, whose unit is its name.
    func unitSuffix(_ unit: String) -> String { unit.isEmpty || unit == "pH" ? "" : " " + unit }

    func unitOfCount(_ averaging: QCVNReference.Averaging) -> String {
        averaging == .hour ? t("giờ", "hours") : t("ngày", "days")
    }

    static let indicativeVietnamese = "vượt ngưỡng tham chiếu QCVN (số liệu quan trắc tự động, chưa kiểm định)"
    static let indicativeEnglish = "over the QCVN reference value (automatic monitoring data, not verified)"

    // MARK: - I. Network and environment

    func networkSection() -> [ReportBlock] {
        let network = document.network
        var blocks: [ReportBlock] = [
            .heading(
                level: 1, text: t("I. MẠNG QUAN TRẮC VÀ CHẤT LƯỢNG MÔI TRƯỜNG", "I. MONITORING NETWORK AND ENVIRONMENT")
            ),
            .heading(level: 2, text: t("1. Hoạt động của mạng quan trắc", "1. Operation of the monitoring network")),
        ]
        let quality = network.quality
        var summary = t(
            "Mạng có \(network.sensorsConfigured) cảm biến tại \(network.sites.count) điểm quan trắc; "
                + "\(network.sensorsReporting)/\(network.sensorsConfigured) cảm biến có gửi số liệu trong kỳ. "
                + "Tỷ lệ đầy đủ dữ liệu toàn mạng: \(format.percent(network.completeness)) "
                + "(\(format.integer(network.received))/\(format.integer(network.expected)) số liệu hợp lệ so với "
                + "số liệu dự kiến theo chu kỳ đo). ",
            "The network has \(network.sensorsConfigured) sensors at \(network.sites.count) monitoring sites; "
                + "\(network.sensorsReporting)/\(network.sensorsConfigured) sensors sent data in the period. "
                + "Network data completeness: \(format.percent(network.completeness)) "
                + "(\(format.integer(network.received))/\(format.integer(network.expected)) valid readings against "
                + "those expected from each sensor's interval). ")
        summary += t(
            "Kiểm soát chất lượng tự động (QARTOD) trên \(format.integer(quality.total)) số liệu: đạt "
                + "\(format.percent(quality.share(.pass))), nghi vấn \(format.percent(quality.share(.suspect))), lỗi "
                + "\(format.percent(quality.share(.fail))), chưa đánh giá \(format.percent(quality.share(.notEvaluated))).",
            "Automatic quality control (QARTOD) over \(format.integer(quality.total)) readings: pass "
                + "\(format.percent(quality.share(.pass))), suspect \(format.percent(quality.share(.suspect))), fail "
                + "\(format.percent(quality.share(.fail))), not evaluated \(format.percent(quality.share(.notEvaluated)))."
        )
        blocks.append(.paragraph(summary))
        if !network.silentSensors.isEmpty {
            blocks.append(
                .paragraph(
                    t("Cảm biến không gửi số liệu: ", "Sensors that sent no data: ")
                        + network.silentSensors.joined(separator: ", ") + "."))
        }
        blocks.append(
            .table(
                ReportTable(
                    headers: [
                        t("Điểm quan trắc", "Site"), t("Loại", "Kind"), t("Số cảm biến", "Sensors"),
                        t("Số liệu hợp lệ / dự kiến", "Valid / expected readings"), t("Tỷ lệ đầy đủ", "Completeness"),
                    ],
                    rows: network.sites.map { site in
                        [
                            site.name, siteKindName(site.kind), String(site.sensors.count),
                            "\(format.integer(site.received))/\(format.integer(site.expected))",
                            format.percent(site.completeness),
                        ]
                    }, numericColumns: [2, 3, 4])))
        blocks.append(
            .table(
                ReportTable(
                    headers: [
                        t("Cảm biến", "Sensor"), t("Điểm", "Site"), t("Chu kỳ đo", "Interval"),
                        t("Hợp lệ / dự kiến", "Valid / expected"), t("Tỷ lệ đầy đủ", "Completeness"),
                        t("QC đạt", "QC pass"), t("Nghi vấn", "Suspect"), t("Lỗi", "Fail"),
                        t("Bản tin thiếu (seq)", "Missing messages (seq)"),
                        t("Nhận bù sau mất kết nối", "Received in catch-up"),
                        t("Bảo trì, hiệu chuẩn", "Maintenance, calibration"),
                    ],
                    rows: network.sensors.map { sensor in
                        [
                            sensor.sensor, sensor.site, format.duration(seconds: sensor.intervalSeconds),
                            "\(format.integer(sensor.received))/\(format.integer(sensor.expected))",
                            format.percent(sensor.completeness), format.percent(sensor.quality.share(.pass)),
                            format.percent(sensor.quality.share(.suspect)), format.percent(sensor.quality.share(.fail)),
                            format.integer(sensor.sequenceMissing), format.integer(sensor.catchUpReadings),
                            format.integer(sensor.maintenance),
                        ]
                    }, numericColumns: [3, 4, 5, 6, 7, 8, 9, 10])))
        if network.sensors.contains(where: { $0.maintenance > 0 }) {
            blocks.append(
                .paragraph(
                    t(
                        "Thời gian cảm biến bảo trì hoặc hiệu chuẩn (đánh dấu bằng envmon maintenance) không tính là thiếu số liệu: số liệu dự kiến trong thời gian đó được trừ ra; số liệu đo trong lúc hiệu chuẩn được lưu với trạng thái 01 và không đưa vào trung bình, so sánh QCVN và VN_AQI.",
                        "Time a sensor spent in maintenance or calibration (marked with envmon maintenance) does not count as missing: the readings expected then are left out of the expected count; readings taken while calibrating are stored with status 01 and kept out of means, QCVN comparisons and VN_AQI."
                    )))
        }
        if network.sensors.contains(where: { $0.catchUpReadings > 0 }) {
            blocks.append(
                .paragraph(
                    t(
                        "Số liệu nhận bù sau khi mất kết nối được lưu và tính vào độ đầy đủ, nhưng thời điểm đo của chúng không xác định (chỉ biết thứ tự), nên không đưa vào giá trị trung bình theo giờ, theo ngày và so sánh QCVN.",
                        "Readings received in the catch-up after a lost connection are stored and count towards completeness, but their measurement times are unknown (only their order), so they are left out of hourly and daily means and QCVN comparisons."
                    )))
        }

        let water = document.exceedances.filter { $0.reference.regulation == QCVNReferences.water }
        let air = document.exceedances.filter { $0.reference.regulation == QCVNReferences.air }
        blocks.append(
            .heading(
                level: 2,
                text: t(
                    "2. Chất lượng nước biển (tham chiếu \(QCVNReferences.water))",
                    "2. Sea-water quality (reference \(QCVNReferences.water))")))
        blocks.append(
            .note(
                t(
                    "Số giờ có giá trị trung bình 1 giờ \(Self.indicativeVietnamese). Ngưỡng QCVN áp dụng cho mẫu "
                        + "phân tích theo phương pháp quy định; số liệu cảm biến chỉ có giá trị cảnh báo sớm.",
                    "Hours whose 1-h mean was \(Self.indicativeEnglish). QCVN limits apply to samples analysed by the "
                        + "prescribed methods; sensor data serve as early warning only.")))
        blocks += exceedanceTable(water)
        blocks += charts(for: water.map(\.metric), medium: .seaWater)

        blocks.append(
            .heading(
                level: 2,
                text: t(
                    "3. Chất lượng không khí (tham chiếu \(QCVNReferences.air); chỉ số VN_AQI theo QĐ 1459/QĐ-TCMT)",
                    "3. Air quality (reference \(QCVNReferences.air); VN_AQI per QĐ 1459/QĐ-TCMT)")))
        blocks.append(
            .note(
                t(
                    "Bụi PM2.5, PM10 so sánh trung bình 24 giờ (PM2.5: 50 µg/m³, từ 01/01/2026 là 45 µg/m³); NO2, O3 "
                        + "so sánh trung bình 1 giờ (200 µg/m³). Số ngày/giờ \(Self.indicativeVietnamese).",
                    "PM2.5 and PM10 are compared as 24-h means (PM2.5: 50 µg/m³, 45 µg/m³ from 2026-01-01); NO2 and O3 "
                        + "as 1-h means (200 µg/m³). Days/hours \(Self.indicativeEnglish).")))
        blocks += exceedanceTable(air)
        blocks += airQualityBlocks()
        blocks += charts(for: air.map(\.metric), medium: .air)
        blocks += alertBlocks()
        return blocks
    }

    func exceedanceTable(_ exceedances: [ReportDocument.Exceedance]) -> [ReportBlock] {
        guard !exceedances.isEmpty else {
            return [
                .paragraph(
                    t(
                        "Không có thông số nào có ngưỡng tham chiếu được đo trong kỳ.",
                        "No parameter with a reference value was measured in the period."))
            ]
        }
        return [
            .table(
                ReportTable(
                    headers: [
                        t("Điểm quan trắc", "Site"), t("Thông số", "Parameter"), t("Ngưỡng tham chiếu", "Reference"),
                        t("Vượt / có số liệu", "Over / with data"), t("Tỷ lệ", "Share"),
                        t("Giá trị bất lợi nhất", "Worst value"),
                    ],
                    rows: exceedances.map { exceedance in
                        [
                            exceedance.siteName, metricName(exceedance.metric),
                            "\(format.reference(exceedance.reference))\(unitSuffix(exceedance.unit)) (\(referenceColumn(exceedance.reference)))",
                            "\(format.integer(exceedance.exceeded))/\(format.integer(exceedance.evaluated)) \(unitOfCount(exceedance.reference.averaging))",
                            format.percent(exceedance.share),
                            exceedance.worst.map { format.number($0) + unitSuffix(exceedance.unit) } ?? "–",
                        ]
                    }, numericColumns: [3, 4, 5]))
        ]
    }

    func charts(for metrics: [String], medium: MetricDefinition.Medium) -> [ReportBlock] {
        let wanted = Set(metrics)
        return document.charts.filter { wanted.contains($0.metric) }.map { chart in
            let statistic =
                switch chart.statistic {
                case .hourlyMean: t("trung bình giờ", "hourly mean")
                case .dailyMean: t("trung bình ngày", "daily mean")
                case .dailyMaxHourly: t("trung bình 1 giờ lớn nhất trong ngày", "highest 1-h mean of the day")
                }
            let unit = chart.unit == "pH" ? "" : "\(chart.unit), "
            return .chart(
                .series(chart, title: "\(chart.siteName) — \(metricName(chart.metric)) (\(unit)\(statistic))"))
        }
    }

    func airQualityBlocks() -> [ReportBlock] {
        guard !document.airQuality.isEmpty else { return [] }
        var blocks: [ReportBlock] = [
            .paragraph(
                t(
                    "Chỉ số chất lượng không khí theo ngày (AQI^d) tại các trạm; số ngày theo mức:",
                    "Daily air quality index (AQI^d) at each station; days per category:"))
        ]
        let categories = VNAQI.Category.allCases
        blocks.append(
            .table(
                ReportTable(
                    headers: [t("Trạm", "Station")] + categories.map { $0.name(language) }
                        + [t("Không đủ số liệu", "Insufficient data"), t("AQI cao nhất", "Highest AQI")],
                    rows: document.airQuality.map { station in
                        let counts = station.daysPerCategory
                        let worst = station.maximum.map { day in
                            "\(day.aqi!.value) (\(format.date(day.day)), \(day.aqi!.dominant.displayName))"
                        }
                        return ["\(station.sensor) — \(station.siteName)"]
                            + categories.map { String(counts[$0] ?? 0) } + [String(station.daysWithoutIndex)]
                            + [worst ?? "–"]
                    }, numericColumns: Set(1...(categories.count + 2)))))
        for station in document.airQuality {
            blocks.append(
                .chart(
                    .aqiCalendar(
                        station,
                        title: t(
                            "Lịch AQI theo ngày — trạm \(station.sensor) (\(station.siteName))",
                            "Daily AQI calendar — station \(station.sensor) (\(station.siteName))"))))
        }
        return blocks
    }

    func alertBlocks() -> [ReportBlock] {
        var blocks: [ReportBlock] = [
            .heading(level: 2, text: t("4. Cảnh báo và xử lý", "4. Alerts and response"))
        ]
        guard let alerts = document.alerts else {
            blocks.append(
                .paragraph(
                    t(
                        "Chưa kết nối nhật ký cảnh báo vào báo cáo; không có số liệu cảnh báo trong kỳ.",
                        "The alert log is not connected to the report; no alert figures for the period.")))
            return blocks
        }
        let bySeverity = alerts.raisedBySeverity.sorted { $0.key < $1.key }.map {
            "\(severityName($0.key)): \($0.value)"
        }.joined(separator: ", ")
        blocks.append(
            .paragraph(
                t(
                    "Trong kỳ phát sinh \(alerts.raised) cảnh báo\(bySeverity.isEmpty ? "" : " (\(bySeverity))"); "
                        + "đã xác nhận \(alerts.acknowledged), đã khắc phục \(alerts.resolved); cuối kỳ còn "
                        + "\(alerts.openAtEnd) cảnh báo đang mở, trong đó \(alerts.unacknowledgedAtEnd) chưa được xác nhận. "
                        + "Thời gian xác nhận trung vị: \(format.duration(seconds: alerts.medianSecondsToAcknowledge)); "
                        + "thời gian khắc phục trung vị: \(format.duration(seconds: alerts.medianSecondsToResolve)).",
                    "\(alerts.raised) alerts were raised in the period\(bySeverity.isEmpty ? "" : " (\(bySeverity))"); "
                        + "\(alerts.acknowledged) were acknowledged and \(alerts.resolved) resolved; "
                        + "\(alerts.openAtEnd) were still open at the end, \(alerts.unacknowledgedAtEnd) of them not acknowledged. "
                        + "Median time to acknowledge: \(format.duration(seconds: alerts.medianSecondsToAcknowledge)); "
                        + "median time to resolve: \(format.duration(seconds: alerts.medianSecondsToResolve)).")))
        if !alerts.raisedBySite.isEmpty {
            blocks.append(
                .table(
                    ReportTable(
                        headers: [t("Điểm quan trắc", "Site"), t("Cảnh báo phát sinh", "Alerts raised")],
                        rows: alerts.raisedBySite.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map {
                            [siteName($0.key), String($0.value)]
                        }, numericColumns: [1])))
        }
        return blocks
    }

    // MARK: - II. Indicators

    func indicatorSection() -> [ReportBlock] {
        var blocks: [ReportBlock] = [
            .heading(level: 1, text: t("II. CÁC CHỈ SỐ CHUYỂN ĐỔI SỐ", "II. DIGITAL-TRANSFORMATION INDICATORS"))
        ]
        guard !document.indicators.isEmpty else {
            blocks.append(
                .paragraph(
                    t("Chưa có tệp chỉ số chuyển đổi số.", "No digital-transformation indicators file was given.")))
            return blocks
        }
        let met = document.indicators.filter { $0.status == .met }.count
        let notMet = document.indicators.filter { $0.status == .notMet }.count
        let noTarget = document.indicators.filter { $0.status == .noTarget }.count
        blocks.append(
            .paragraph(
                t(
                    "Tổng hợp \(document.indicators.count) chỉ số: \(met) chỉ số đạt chỉ tiêu, \(notMet) chưa đạt, "
                        + "\(noTarget) chưa có chỉ tiêu. Số liệu lấy theo kỳ gần nhất đã có; cột thay đổi so sánh với kỳ trước đó."
                        + (document.indicatorSource.map { " Nguồn: \($0)." } ?? ""),
                    "\(document.indicators.count) indicators: \(met) meet their target, \(notMet) do not, \(noTarget) "
                        + "have no target. Each shows its latest period; the change column compares it with the period before."
                        + (document.indicatorSource.map { " Source: \($0)." } ?? ""))))
        var groups = document.indicatorGroups
        for id in Set(document.indicators.map(\.current.group)) where !groups.contains(where: { $0.id == id }) {
            groups.append(IndicatorGroup(id: id, nameVietnamese: id, nameEnglish: id))
        }
        var number = 0
        for group in groups {
            let members = document.indicators.filter { $0.current.group == group.id }
            guard !members.isEmpty else { continue }
            number += 1
            blocks.append(.heading(level: 2, text: "\(number). \(group.name(language))"))
            blocks.append(
                .table(
                    ReportTable(
                        headers: [
                            t("Chỉ số", "Indicator"), t("Kỳ", "Period"), t("Số liệu", "Value"), t("Đơn vị", "Unit"),
                            t("Chỉ tiêu", "Target"), t("Đánh giá", "Status"),
                            t("Thay đổi so với kỳ trước", "Change from previous"),
                            t("Mục", "Section"),
                        ],
                        rows: members.map { status in
                            let entry = status.current
                            var change = "–"
                            if let previous = status.previous, let delta = status.change {
                                change =
                                    "\(format.change(delta)) (\(previous.period.label): \(format.indicatorValue(previous)))"
                            }
                            return [
                                entry.name(language), entry.period.label, format.indicatorValue(entry),
                                entry.unit(language),
                                format.target(entry), statusName(status.status), change, entry.section,
                            ]
                        }, numericColumns: [2, 4])))
        }
        let withTargets = document.indicators.filter { $0.current.target != nil }
        if !withTargets.isEmpty {
            blocks.append(
                .chart(
                    .indicatorBars(
                        withTargets,
                        title: t("Mức độ hoàn thành các chỉ số có chỉ tiêu", "Indicators with a target: share achieved")
                    )))
        }
        return blocks
    }

    // MARK: - III. Difficulties and IV. tasks

    func findingText(_ finding: ReportDocument.Finding) -> String {
        switch finding {
        case .silentSensor(let sensor, let site):
            return t(
                "Cảm biến \(sensor) (\(siteName(site))) không gửi số liệu trong kỳ.",
                "Sensor \(sensor) (\(siteName(site))) sent no data in the period.")
        case .poorCompleteness(let sensor, let site, let completeness):
            let threshold = format.percent(ReportThresholds.poorCompleteness)
            return t(
                "Cảm biến \(sensor) (\(siteName(site))) có tỷ lệ đầy đủ dữ liệu thấp: \(format.percent(completeness)) (dưới \(threshold)).",
                "Sensor \(sensor) (\(siteName(site))) has poor data completeness: \(format.percent(completeness)) (below \(threshold))."
            )
        case .highQCFailure(let sensor, let share):
            return t(
                "Cảm biến \(sensor) có \(format.percent(share)) số liệu bị kiểm soát chất lượng đánh giá lỗi.",
                "Sensor \(sensor) had \(format.percent(share)) of its readings fail quality control.")
        case .frequentExceedance(let site, let metric, let exceeded, let evaluated, let averaging):
            let share = format.percent(Double(exceeded) / Double(max(1, evaluated)))
            return t(
                "\(siteName(site)): \(metricName(metric)) \(Self.indicativeVietnamese) trong \(exceeded)/\(evaluated) \(unitOfCount(averaging)) (\(share)).",
                "\(siteName(site)): \(metricName(metric)) \(Self.indicativeEnglish) in \(exceeded)/\(evaluated) \(unitOfCount(averaging)) (\(share))."
            )
        case .poorAirQualityDays(let sensor, let site, let days, let worst):
            return t(
                "Trạm \(sensor) (\(siteName(site))): \(days) ngày AQI từ mức Kém trở lên, cao nhất \(worst).",
                "Station \(sensor) (\(siteName(site))): \(days) days with AQI Poor or worse, highest \(worst).")
        case .slowAcknowledgement(let median):
            return t(
                "Thời gian xác nhận cảnh báo trung vị \(format.duration(seconds: median)), chậm hơn mục tiêu 1 giờ.",
                "Median time to acknowledge an alert was \(format.duration(seconds: median)), longer than the 1-hour aim."
            )
        case .unacknowledgedAlerts(let count):
            return t(
                "\(count) cảnh báo còn mở chưa được xác nhận tại thời điểm cuối kỳ.",
                "\(count) open alerts had not been acknowledged at the end of the period.")
        case .indicatorNotMet(let id):
            let status = document.indicators.first { $0.current.id == id }
            let entry = status?.current
            return t(
                "Chỉ số \"\(entry?.name(language) ?? id)\" chưa đạt chỉ tiêu (\(entry.map(format.indicatorValue) ?? "–")/\(entry.map(format.target) ?? "–")).",
                "Indicator \"\(entry?.name(language) ?? id)\" has not met its target (\(entry.map(format.indicatorValue) ?? "–")/\(entry.map(format.target) ?? "–"))."
            )
        case .unconfiguredSensors(let sensors):
            return t(
                "Có cảm biến gửi số liệu nhưng chưa khai báo trong cấu hình: \(sensors.joined(separator: ", ")).",
                "Sensors sent data without being declared in the configuration: \(sensors.joined(separator: ", ")).")
        }
    }

    func difficultiesSection() -> [ReportBlock] {
        var blocks: [ReportBlock] = [
            .heading(level: 1, text: t("III. KHÓ KHĂN, HẠN CHẾ", "III. DIFFICULTIES AND SHORTCOMINGS"))
        ]
        if document.findings.isEmpty {
            blocks.append(
                .paragraph(
                    t(
                        "Số liệu trong kỳ không cho thấy tồn tại đáng kể của mạng quan trắc.",
                        "The period's data show no significant problem with the monitoring network.")))
        } else {
            blocks.append(.bullets(document.findings.map(findingText)))
        }
        return blocks
    }

    func tasksSection() -> [ReportBlock] {
        let findings = document.findings
        var tasks: [String] = []
        let maintenance = findings.compactMap { finding -> String? in
            switch finding {
            case .silentSensor(let sensor, _), .poorCompleteness(let sensor, _, _): sensor
            default: nil
            }
        }
        if !maintenance.isEmpty {
            tasks.append(
                t(
                    "Kiểm tra nguồn điện, đường truyền và bảo dưỡng các cảm biến \(maintenance.joined(separator: ", ")); đưa tỷ lệ đầy đủ dữ liệu lên từ \(format.percent(ReportThresholds.poorCompleteness)) trở lên.",
                    "Check power, communications and maintenance of sensors \(maintenance.joined(separator: ", ")); bring data completeness to \(format.percent(ReportThresholds.poorCompleteness)) or more."
                ))
        }
        let calibration = findings.compactMap { finding -> String? in
            if case .highQCFailure(let sensor, _) = finding { return sensor }
            return nil
        }
        if !calibration.isEmpty {
            tasks.append(
                t(
                    "Vệ sinh, hiệu chuẩn các cảm biến \(calibration.joined(separator: ", ")).",
                    "Clean and calibrate sensors \(calibration.joined(separator: ", "))."))
        }
        let exceedances = findings.compactMap { finding -> String? in
            if case .frequentExceedance(let site, let metric, _, _, _) = finding {
                return "\(siteName(site)) (\(metricName(metric)))"
            }
            return nil
        }
        if !exceedances.isEmpty {
            tasks.append(
                t(
                    "Lấy mẫu đối chứng, phân tích theo phương pháp quy định tại QCVN để xác nhận tại: \(exceedances.joined(separator: "; ")); thông báo cho hộ nuôi trồng thủy sản và người dân khi cần.",
                    "Take reference samples analysed by the QCVN methods to confirm at: \(exceedances.joined(separator: "; ")); inform fish farmers and residents where needed."
                ))
        }
        let air = findings.compactMap { finding -> String? in
            if case .poorAirQualityDays(_, let site, _, _) = finding { return siteName(site) }
            return nil
        }
        if !air.isEmpty {
            tasks.append(
                t(
                    "Công bố AQI hằng ngày và khuyến cáo sức khỏe cho người dân tại \(air.joined(separator: ", ")) khi AQI từ mức Kém trở lên.",
                    "Publish the daily AQI and health advice for residents at \(air.joined(separator: ", ")) when the AQI is Poor or worse."
                ))
        }
        if findings.contains(where: {
            if case .slowAcknowledgement = $0 { return true }
            if case .unacknowledgedAlerts = $0 { return true }
            return false
        }) {
            tasks.append(
                t(
                    "Rà soát quy trình tiếp nhận, xác nhận và xử lý cảnh báo; phân công trực theo dõi.",
                    "Review how alerts are received, acknowledged and handled; assign on-call duty."))
        }
        if findings.contains(where: { if case .unconfiguredSensors = $0 { return true } else { return false } }) {
            tasks.append(
                t(
                    "Khai báo các cảm biến mới trong tệp cấu hình hoặc dừng gửi số liệu thử nghiệm.",
                    "Declare new sensors in the configuration file, or stop test transmissions."))
        }
        let unmet = findings.compactMap { finding -> String? in
            if case .indicatorNotMet(let id) = finding {
                return document.indicators.first { $0.current.id == id }?.current.name(language) ?? id
            }
            return nil
        }
        if !unmet.isEmpty {
            tasks.append(
                t(
                    "Tiếp tục thực hiện để đạt các chỉ tiêu: \(unmet.joined(separator: "; ")).",
                    "Continue the work needed to meet the targets: \(unmet.joined(separator: "; "))."))
        }
        tasks.append(
            t(
                "Duy trì vận hành hệ thống thu thập dữ liệu môi trường qua công nghệ IoT; cập nhật số liệu các chỉ số chuyển đổi số của kỳ mới vào tệp chỉ số.",
                "Keep the IoT environmental data collection system running; add the new period's digital-transformation figures to the indicators file."
            ))
        return [
            .heading(level: 1, text: t("IV. NHIỆM VỤ KỲ TỚI", "IV. TASKS FOR THE NEXT PERIOD")),
            .bullets(tasks),
        ]
    }

    // MARK: - Appendix

    func appendix() -> [ReportBlock] {
        var blocks: [ReportBlock] = [
            .heading(level: 2, text: t("1. Phương pháp tính", "1. Method")),
            .bullets([
                t(
                    "Tỷ lệ đầy đủ dữ liệu = số liệu hợp lệ (không bị QC đánh giá lỗi, theo bảng tổng hợp giờ) / số liệu dự kiến theo chu kỳ đo của từng cảm biến, tính đến \(format.date(document.dataUntil.adding(milliseconds: -1))).",
                    "Completeness = valid readings (not failed by QC, from the hourly roll-ups) / readings expected from each sensor's interval, up to \(format.date(document.dataUntil.adding(milliseconds: -1)))."
                ),
                t(
                    "Một giờ được tính là vượt khi giá trị trung bình 1 giờ của ít nhất một cảm biến tại điểm vượt ngưỡng tham chiếu; một ngày được tính là vượt khi trung bình 24 giờ (trung bình các giờ, cần ít nhất \(ReportThresholds.minimumHoursPerDay) giờ có số liệu) vượt ngưỡng.",
                    "An hour counts as over when the 1-h mean of at least one sensor at the site passes the reference; a day when its 24-h mean (the mean of hourly means, at least \(ReportThresholds.minimumHoursPerDay) hours with data) does."
                ),
                t(
                    "AQI ngày theo QĐ 1459/QĐ-TCMT: bụi theo trung bình 24 giờ; NO2, SO2, CO theo trung bình 1 giờ lớn nhất; O3 theo giá trị lớn hơn giữa trung bình 1 giờ lớn nhất và trung bình 8 giờ lớn nhất.",
                    "Daily AQI per QĐ 1459/QĐ-TCMT: particulates by 24-h mean; NO2, SO2, CO by the highest 1-h mean; O3 by the larger of the highest 1-h and the highest 8-h mean."
                ),
                t(
                    "Ngưỡng tìm tồn tại: tỷ lệ đầy đủ dưới \(format.percent(ReportThresholds.poorCompleteness)); số liệu lỗi trên \(format.percent(ReportThresholds.highFailShare)); vượt ngưỡng từ \(format.percent(ReportThresholds.frequentExceedanceShare)) số giờ/ngày; xác nhận cảnh báo chậm hơn 1 giờ.",
                    "Finding thresholds: completeness below \(format.percent(ReportThresholds.poorCompleteness)); fails above \(format.percent(ReportThresholds.highFailShare)); exceedance in \(format.percent(ReportThresholds.frequentExceedanceShare)) of hours/days or more; acknowledgement slower than 1 hour."
                ),
            ]),
        ]
        if !document.airQuality.isEmpty {
            blocks.append(.heading(level: 2, text: t("2. AQI theo ngày tại các trạm", "2. Daily AQI at each station")))
            for station in document.airQuality {
                blocks.append(.paragraph(t("Trạm ", "Station ") + "\(station.sensor) — \(station.siteName)"))
                blocks.append(
                    .table(
                        ReportTable(
                            headers: [
                                t("Ngày", "Day"), "AQI", t("Mức", "Category"), t("Màu", "Colour"),
                                t("Thông số chính", "Dominant pollutant"),
                            ],
                            rows: station.days.map { day in
                                guard let aqi = day.aqi else {
                                    return [
                                        format.date(day.day), "–", t("Không đủ số liệu", "Insufficient data"), "–", "–",
                                    ]
                                }
                                return [
                                    format.date(day.day), String(aqi.value), aqi.category.name(language),
                                    aqi.category.colourName(language), aqi.dominant.displayName,
                                ]
                            }, numericColumns: [1], rowColours: station.days.map { $0.aqi?.category.colour.hex })))
            }
        }
        return blocks
    }
}
