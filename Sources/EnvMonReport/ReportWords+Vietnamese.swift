extension ReportWords {
    /// Said of every exceedance: sensors give early warning, not the analysed samples QCVN is for.
    private static let vietnameseIndicative =
        "vượt ngưỡng tham chiếu QCVN (số liệu quan trắc tự động, chưa kiểm định)"

    /// Báo cáo: the wording of a Vietnamese administrative report (Nghị định 30/2020).
    static let vietnamese = ReportWords(
        masthead: Masthead(
            agency: ["ỦY BAN NHÂN DÂN", "ĐẶC KHU CÁT HẢI"],
            nation: ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"],
            number: { "Số: " + $0 },
            title: "BÁO CÁO",
            subject: { period in
                "Tình hình mạng quan trắc môi trường tự động, chất lượng môi trường và kết quả chuyển đổi số \(period)"
            },
            introduction: { period, span in
                "Ủy ban nhân dân đặc khu Cát Hải báo cáo tình hình vận hành hệ thống thu thập dữ liệu môi trường qua "
                    + "công nghệ IoT (nhiệm vụ trọng tâm nêu tại mục I.3 Báo cáo kết quả chuyển đổi số năm 2025), chất "
                    + "lượng môi trường quan trắc được và các chỉ số chuyển đổi số \(period) (\(span)), cụ thể như sau:"
            },
            recipientsLabel: "Nơi nhận:",
            recipients: [
                "Sở Khoa học và Công nghệ (để b/c);", "Sở Nông nghiệp và Môi trường;", "CT, các PCT UBND Đặc khu;",
                "Lưu: VT, VHXH.",
            ],
            signature: ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
            appendixTitle: "PHỤ LỤC"),
        names: Names(
            siteKind: { kind in
                switch kind {
                case .aquaculture: "nuôi trồng thủy sản"
                case .beach: "bãi tắm"
                case .town: "thị trấn"
                case .port: "cảng"
                case .coast: "ven biển"
                case .island: "đảo"
                }
            },
            severities: ["critical": "nghiêm trọng", "warning": "cảnh báo", "info": "thông tin"],
            status: { status in
                switch status {
                case .met: "Đạt"
                case .notMet: "Chưa đạt"
                case .noTarget: "Chưa có chỉ tiêu"
                }
            },
            countUnit: { $0 == .hour ? "giờ" : "ngày" },
            insufficientData: "Không đủ số liệu"),
        network: Network(
            heading: "I. MẠNG QUAN TRẮC VÀ CHẤT LƯỢNG MÔI TRƯỜNG",
            operationHeading: "1. Hoạt động của mạng quan trắc",
            summary: { sensors, sites, reporting, completeness, received, expected in
                "Mạng có \(sensors) cảm biến tại \(sites) điểm quan trắc; \(reporting)/\(sensors) cảm biến có gửi số "
                    + "liệu trong kỳ. Tỷ lệ đầy đủ dữ liệu toàn mạng: \(completeness) (\(received)/\(expected) số liệu "
                    + "hợp lệ so với số liệu dự kiến theo chu kỳ đo)."
            },
            quality: { readings, pass, suspect, fail, notEvaluated in
                "Kiểm soát chất lượng tự động (QARTOD) trên \(readings) số liệu: đạt \(pass), nghi vấn \(suspect), "
                    + "lỗi \(fail), chưa đánh giá \(notEvaluated)."
            },
            silentSensors: { "Cảm biến không gửi số liệu: \($0)." },
            siteHeaders: ["Điểm quan trắc", "Loại", "Số cảm biến", "Số liệu hợp lệ / dự kiến", "Tỷ lệ đầy đủ"],
            sensorHeaders: [
                "Cảm biến", "Điểm", "Chu kỳ đo", "Hợp lệ / dự kiến", "Tỷ lệ đầy đủ", "QC đạt", "Nghi vấn", "Lỗi",
                "Bản tin thiếu (seq)", "Nhận bù sau mất kết nối", "Bảo trì, hiệu chuẩn",
            ],
            maintenanceNote:
                "Thời gian cảm biến bảo trì hoặc hiệu chuẩn (đánh dấu bằng envmon maintenance) không tính là thiếu số "
                + "liệu: số liệu dự kiến trong thời gian đó được trừ ra; số liệu đo trong lúc hiệu chuẩn được lưu với "
                + "trạng thái 01 và không đưa vào trung bình, so sánh QCVN và VN_AQI.",
            catchUpNote:
                "Số liệu nhận bù sau khi mất kết nối được lưu và tính vào độ đầy đủ, nhưng thời điểm đo của chúng không "
                + "xác định (chỉ biết thứ tự), nên không đưa vào giá trị trung bình theo giờ, theo ngày và so sánh "
                + "QCVN."),
        environment: Environment(
            waterHeading: { "2. Chất lượng nước biển (tham chiếu \($0))" },
            waterNote:
                "Số giờ có giá trị trung bình 1 giờ \(vietnameseIndicative). Ngưỡng QCVN áp dụng cho mẫu phân tích theo "
                + "phương pháp quy định; số liệu cảm biến chỉ có giá trị cảnh báo sớm.",
            airHeading: { "3. Chất lượng không khí (tham chiếu \($0); chỉ số VN_AQI theo QĐ 1459/QĐ-TCMT)" },
            airNote:
                "Bụi PM2.5, PM10 so sánh trung bình 24 giờ (PM2.5: 50 µg/m³, từ 01/01/2026 là 45 µg/m³); NO2, O3 so "
                + "sánh trung bình 1 giờ (200 µg/m³). Số ngày/giờ \(vietnameseIndicative).",
            nothingMeasured: "Không có thông số nào có ngưỡng tham chiếu được đo trong kỳ.",
            exceedanceHeaders: [
                "Điểm quan trắc", "Thông số", "Ngưỡng tham chiếu", "Vượt / có số liệu", "Tỷ lệ", "Giá trị bất lợi nhất",
            ],
            aquacultureColumn: "cột nuôi trồng thủy sản",
            beachColumn: "cột bãi tắm, thể thao dưới nước",
            otherPlacesColumn: "cột các nơi khác",
            dayMean: "trung bình 24 giờ",
            hourMean: "trung bình 1 giờ",
            statistic: { statistic in
                switch statistic {
                case .hourlyMean: "trung bình giờ"
                case .dailyMean: "trung bình ngày"
                case .dailyMaxHourly: "trung bình 1 giờ lớn nhất trong ngày"
                }
            },
            aqiIntroduction: "Chỉ số chất lượng không khí theo ngày (AQI^d) tại các trạm; số ngày theo mức:",
            station: "Trạm",
            highestAQI: "AQI cao nhất",
            aqiCalendar: { sensor, site in "Lịch AQI theo ngày — trạm \(sensor) (\(site))" }),
        alerts: Alerts(
            heading: "4. Cảnh báo và xử lý",
            notConnected: "Chưa kết nối nhật ký cảnh báo vào báo cáo; không có số liệu cảnh báo trong kỳ.",
            summary: { raised, bySeverity, acknowledged, resolved, open, unacknowledged, acknowledge, resolve in
                "Trong kỳ phát sinh \(raised) cảnh báo\(inParentheses(bySeverity)); đã xác nhận \(acknowledged), đã "
                    + "khắc phục \(resolved); cuối kỳ còn \(open) cảnh báo đang mở, trong đó \(unacknowledged) chưa "
                    + "được xác nhận. Thời gian xác nhận trung vị: \(acknowledge); thời gian khắc phục trung vị: "
                    + "\(resolve)."
            },
            siteHeaders: ["Điểm quan trắc", "Cảnh báo phát sinh"]),
        indicators: Indicators(
            heading: "II. CÁC CHỈ SỐ CHUYỂN ĐỔI SỐ",
            noFile: "Chưa có tệp chỉ số chuyển đổi số.",
            summary: { count, met, notMet, noTarget, source in
                "Tổng hợp \(count) chỉ số: \(met) chỉ số đạt chỉ tiêu, \(notMet) chưa đạt, \(noTarget) chưa có chỉ "
                    + "tiêu. Số liệu lấy theo kỳ gần nhất đã có; cột thay đổi so sánh với kỳ trước đó."
                    + (source.map { " Nguồn: \($0)." } ?? "")
            },
            headers: ["Chỉ số", "Kỳ", "Số liệu", "Đơn vị", "Chỉ tiêu", "Đánh giá", "Thay đổi so với kỳ trước", "Mục"],
            barsTitle: "Mức độ hoàn thành các chỉ số có chỉ tiêu"),
        findings: Findings(
            heading: "III. KHÓ KHĂN, HẠN CHẾ",
            nothingFound: "Số liệu trong kỳ không cho thấy tồn tại đáng kể của mạng quan trắc.",
            silentSensor: { sensor, site in "Cảm biến \(sensor) (\(site)) không gửi số liệu trong kỳ." },
            poorCompleteness: { sensor, site, completeness, threshold in
                "Cảm biến \(sensor) (\(site)) có tỷ lệ đầy đủ dữ liệu thấp: \(completeness) (dưới \(threshold))."
            },
            highQCFailure: { sensor, share in
                "Cảm biến \(sensor) có \(share) số liệu bị kiểm soát chất lượng đánh giá lỗi."
            },
            frequentExceedance: { site, metric, exceeded, evaluated, unit, share in
                "\(site): \(metric) \(vietnameseIndicative) trong \(exceeded)/\(evaluated) \(unit) (\(share))."
            },
            poorAirQualityDays: { sensor, site, days, worst in
                "Trạm \(sensor) (\(site)): \(days) ngày AQI từ mức Kém trở lên, cao nhất \(worst)."
            },
            slowAcknowledgement: { "Thời gian xác nhận cảnh báo trung vị \($0), chậm hơn mục tiêu 1 giờ." },
            unacknowledgedAlerts: { "\($0) cảnh báo còn mở chưa được xác nhận tại thời điểm cuối kỳ." },
            indicatorNotMet: { name, value, target in "Chỉ số \"\(name)\" chưa đạt chỉ tiêu (\(value)/\(target))." },
            unconfiguredSensors: { "Có cảm biến gửi số liệu nhưng chưa khai báo trong cấu hình: \($0)." }),
        tasks: Tasks(
            heading: "IV. NHIỆM VỤ KỲ TỚI",
            maintainSensors: { sensors, completeness in
                "Kiểm tra nguồn điện, đường truyền và bảo dưỡng các cảm biến \(sensors); đưa tỷ lệ đầy đủ dữ liệu lên "
                    + "từ \(completeness) trở lên."
            },
            calibrateSensors: { "Vệ sinh, hiệu chuẩn các cảm biến \($0)." },
            confirmExceedances: {
                "Lấy mẫu đối chứng, phân tích theo phương pháp quy định tại QCVN để xác nhận tại: \($0); thông báo "
                    + "cho hộ nuôi trồng thủy sản và người dân khi cần."
            },
            publishAQI: {
                "Công bố AQI hằng ngày và khuyến cáo sức khỏe cho người dân tại \($0) khi AQI từ mức Kém trở lên."
            },
            reviewAlerts: "Rà soát quy trình tiếp nhận, xác nhận và xử lý cảnh báo; phân công trực theo dõi.",
            declareSensors: "Khai báo các cảm biến mới trong tệp cấu hình hoặc dừng gửi số liệu thử nghiệm.",
            meetTargets: { "Tiếp tục thực hiện để đạt các chỉ tiêu: \($0)." },
            keepRunning:
                "Duy trì vận hành hệ thống thu thập dữ liệu môi trường qua công nghệ IoT; cập nhật số liệu các chỉ số "
                + "chuyển đổi số của kỳ mới vào tệp chỉ số."),
        appendix: Appendix(
            methodHeading: "1. Phương pháp tính",
            completeness: {
                "Tỷ lệ đầy đủ dữ liệu = số liệu hợp lệ (không bị QC đánh giá lỗi, theo bảng tổng hợp giờ) / số liệu "
                    + "dự kiến theo chu kỳ đo của từng cảm biến, tính đến \($0)."
            },
            exceedance: {
                "Một giờ được tính là vượt khi giá trị trung bình 1 giờ của ít nhất một cảm biến tại điểm vượt ngưỡng "
                    + "tham chiếu; một ngày được tính là vượt khi trung bình 24 giờ (trung bình các giờ, cần ít nhất "
                    + "\($0) giờ có số liệu) vượt ngưỡng."
            },
            aqi:
                "AQI ngày theo QĐ 1459/QĐ-TCMT: bụi theo trung bình 24 giờ; NO2, SO2, CO theo trung bình 1 giờ lớn "
                + "nhất; O3 theo giá trị lớn hơn giữa trung bình 1 giờ lớn nhất và trung bình 8 giờ lớn nhất.",
            thresholds: { completeness, fails, exceedance in
                "Ngưỡng tìm tồn tại: tỷ lệ đầy đủ dưới \(completeness); số liệu lỗi trên \(fails); vượt ngưỡng từ "
                    + "\(exceedance) số giờ/ngày; xác nhận cảnh báo chậm hơn 1 giờ."
            },
            aqiHeading: "2. AQI theo ngày tại các trạm",
            station: { sensor, site in "Trạm \(sensor) — \(site)" },
            dayHeaders: ["Ngày", "AQI", "Mức", "Màu", "Thông số chính"]),
        figures: Figures(
            groupSeparator: ".", decimalSeparator: ",", seconds: "giây", minutes: "phút", hours: "giờ", days: "ngày",
            date: { year, month, day in "\(two(day))/\(two(month))/\(year)" },
            shortDate: { month, day in "\(two(day))/\(two(month))" },
            // NĐ 30/2020: days 1–9 and months 1–2 with a leading zero.
            dateline: { place, year, month, day in
                "\(place), ngày \(two(day)) tháng \(month <= 2 ? two(month) : String(month)) năm \(year)"
            },
            month: { year, month in "tháng \(month)/\(year)" },
            quarter: { year, quarter in "quý \(["I", "II", "III", "IV"][quarter - 1])/\(year)" },
            year: { "năm \($0)" },
            span: { from, to in "từ ngày \(from) đến ngày \(to)" },
            nearly: { "gần \($0)" },
            over: { "trên \($0)" }),
        charts: Charts(
            weekdays: ["T2", "T3", "T4", "T5", "T6", "T7", "CN"], targetLine: "100% chỉ tiêu", chart: "Biểu đồ"))

    private static func two(_ value: Int) -> String { ReportFormatter.two(value) }
}
