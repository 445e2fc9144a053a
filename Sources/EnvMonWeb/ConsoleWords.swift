/// Every word the console shows, one table per language, so a translator works on this file
/// alone and the page code holds no text.
package struct ConsoleWords: Sendable {
    var console: String
    var overview: String
    var sites: String
    var alerts: String
    var air: String
    var health: String
    var login: String
    var logout: String
    var loggedInAs: String
    var otherLanguage: String
    var mapTitle: String
    var stateNames: [SiteState: String]
    var site: String
    var sensor: String
    var metric: String
    var value: String
    var unit: String
    var quality: String
    var age: String
    var qcvn: String
    var last24h: String
    var noData: String
    var never: String
    var lastSeen: String
    var activeAlerts: String
    var noActiveAlerts: String
    var recentAlerts: String
    var severity: String
    var state: String
    var rule: String
    var threshold: String
    var raised: String
    var resolved: String
    var acknowledgedBy: String
    var acknowledge: String
    var note: String
    var logInToAcknowledge: String
    var history: String
    var notice: String
    var time: String
    var by: String
    var range: String
    var exportCSV: String
    var chartNote: String
    var qcFailedShown: String
    var alertThreshold: String
    var hourlyAQI: String
    var dailyAQI: String
    var dominant: String
    var category: String
    var noAirStations: String
    var station: String
    var hour: String
    var day: String
    var figures: String
    var figure: String
    var rejectsLastDay: String
    var reason: String
    var count: String
    var noRejects: String
    var transmission: String
    var target: String
    var sent: String
    var backlog: String
    var oldestWaiting: String
    var lastError: String
    var nothingConfigured: String
    var username: String
    var password: String
    var loginFailed: String
    var loginThrottled: String
    var ackApplied: String
    var ackQueued: String
    var ackRefused: String
    var updated: String
    var liveOff: String
    var timesInVietnam: String
    var maintenanceUntil: String
    var exceeds: String
    var staleSince: String
    var notFound: String
    var qualityNames: [UInt8: String]

    static let vietnamese = ConsoleWords(
        console: "EnvMon Cát Hải", overview: "Tổng quan", sites: "Trạm", alerts: "Cảnh báo", air: "Không khí (VN_AQI)",
        health: "Tình trạng hệ thống", login: "Đăng nhập", logout: "Đăng xuất", loggedInAs: "Đăng nhập với tên",
        otherLanguage: "English", mapTitle: "Bản đồ các trạm quan trắc đặc khu Cát Hải",
        stateNames: [
            .alert: "Đang cảnh báo", .exceedance: "Vượt QCVN", .stale: "Mất tín hiệu",
            .maintenance: "Bảo trì/hiệu chuẩn",
            .ok: "Bình thường", .unknown: "Chưa có dữ liệu",
        ],
        site: "Trạm", sensor: "Thiết bị", metric: "Thông số", value: "Giá trị", unit: "Đơn vị",
        quality: "Chất lượng (QC)",
        age: "Cách đây", qcvn: "Giới hạn QCVN", last24h: "24 giờ qua", noData: "Chưa có dữ liệu", never: "chưa bao giờ",
        lastSeen: "Lần cuối", activeAlerts: "Cảnh báo đang hoạt động",
        noActiveAlerts: "Không có cảnh báo nào đang hoạt động",
        recentAlerts: "Cảnh báo gần đây", severity: "Mức độ", state: "Trạng thái", rule: "Quy tắc", threshold: "Ngưỡng",
        raised: "Bắt đầu", resolved: "Kết thúc", acknowledgedBy: "Người xác nhận", acknowledge: "Xác nhận",
        note: "Ghi chú", logInToAcknowledge: "Đăng nhập để xác nhận", history: "Lịch sử", notice: "Sự kiện",
        time: "Thời gian", by: "Người thực hiện", range: "Khoảng thời gian", exportCSV: "Tải CSV dữ liệu đang hiển thị",
        chartNote: "Dải màu: nhỏ nhất–lớn nhất; đường: trung bình; dấu đỏ: giá trị không đạt kiểm tra chất lượng.",
        qcFailedShown: "giá trị không đạt QC", alertThreshold: "ngưỡng cảnh báo", hourlyAQI: "VN_AQI giờ",
        dailyAQI: "VN_AQI ngày", dominant: "Chất ô nhiễm chính", category: "Mức",
        noAirStations: "Chưa có trạm không khí",
        station: "Trạm", hour: "Giờ", day: "Ngày", figures: "Số liệu vận hành", figure: "Chỉ số",
        rejectsLastDay: "Bản tin bị từ chối trong 24 giờ qua", reason: "Lý do", count: "Số lượng",
        noRejects: "Không có bản tin nào bị từ chối", transmission: "Truyền dữ liệu (Sở TN&MT, webhook)",
        target: "Đích", sent: "Đã gửi", backlog: "Đang chờ", oldestWaiting: "Chờ lâu nhất (giây)",
        lastError: "Lỗi gần nhất",
        nothingConfigured: "Chưa cấu hình đích truyền nào", username: "Tên đăng nhập", password: "Mật khẩu",
        loginFailed: "Sai tên đăng nhập hoặc mật khẩu", loginThrottled: "Đăng nhập sai quá nhiều lần; thử lại sau",
        ackApplied: "Đã xác nhận cảnh báo", ackQueued: "Đã gửi yêu cầu xác nhận; envmond sẽ áp dụng khi chạy",
        ackRefused: "envmond từ chối xác nhận", updated: "Cập nhật", liveOff: "Mất kết nối cập nhật trực tiếp",
        timesInVietnam: "Giờ Việt Nam (UTC+7)", maintenanceUntil: "Bảo trì", exceeds: "vượt QCVN",
        staleSince: "không có dữ liệu từ", notFound: "Không tìm thấy",
        qualityNames: [1: "đạt", 2: "không kiểm tra", 3: "nghi ngờ", 4: "không đạt", 9: "thiếu"])

    static let english = ConsoleWords(
        console: "EnvMon Cát Hải", overview: "Overview", sites: "Sites", alerts: "Alerts", air: "Air (VN_AQI)",
        health: "System health", login: "Log in", logout: "Log out", loggedInAs: "Logged in as",
        otherLanguage: "Tiếng Việt", mapTitle: "Monitoring sites of Cát Hải special zone",
        stateNames: [
            .alert: "Alert", .exceedance: "Above QCVN", .stale: "Silent", .maintenance: "Maintenance/calibration",
            .ok: "Normal", .unknown: "No data yet",
        ],
        site: "Site", sensor: "Sensor", metric: "Metric", value: "Value", unit: "Unit", quality: "Quality (QC)",
        age: "Age", qcvn: "QCVN reference", last24h: "Last 24 h", noData: "No data yet", never: "never",
        lastSeen: "Last seen", activeAlerts: "Active alerts", noActiveAlerts: "No active alerts",
        recentAlerts: "Recent alerts", severity: "Severity", state: "State", rule: "Rule", threshold: "Threshold",
        raised: "Raised", resolved: "Resolved", acknowledgedBy: "Acknowledged by", acknowledge: "Acknowledge",
        note: "Note", logInToAcknowledge: "Log in to acknowledge", history: "History", notice: "Notice",
        time: "Time", by: "By", range: "Range", exportCSV: "Download the data shown as CSV",
        chartNote: "Band: minimum–maximum; line: mean; red marks: readings that failed quality control.",
        qcFailedShown: "readings failed QC", alertThreshold: "alert threshold", hourlyAQI: "Hourly VN_AQI",
        dailyAQI: "Daily VN_AQI", dominant: "Dominant pollutant", category: "Category",
        noAirStations: "No air stations yet", station: "Station", hour: "Hour", day: "Day",
        figures: "Operating figures", figure: "Figure", rejectsLastDay: "Messages rejected in the last 24 h",
        reason: "Reason", count: "Count", noRejects: "No messages rejected",
        transmission: "Transmission (Sở TN&MT, webhooks)", target: "Target", sent: "Sent", backlog: "Waiting",
        oldestWaiting: "Oldest waiting (s)", lastError: "Last error",
        nothingConfigured: "No transmission targets configured",
        username: "User name", password: "Password", loginFailed: "Wrong user name or password",
        loginThrottled: "Too many failed logins; try again later", ackApplied: "Alert acknowledged",
        ackQueued: "Acknowledgement queued; envmond applies it when it runs",
        ackRefused: "envmond refused the acknowledgement",
        updated: "Updated", liveOff: "Live updates lost", timesInVietnam: "Vietnam time (UTC+7)",
        maintenanceUntil: "Maintenance", exceeds: "above QCVN", staleSince: "silent since", notFound: "Not found",
        qualityNames: [1: "pass", 2: "not evaluated", 3: "suspect", 4: "fail", 9: "missing"])
}
