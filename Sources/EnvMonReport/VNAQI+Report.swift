package import EnvMonCore

/// How the report names and colours VN_AQI categories (QĐ 1459/QĐ-TCMT Bảng 1).
extension VNAQI.Category {
    package func name(_ language: ReportLanguage) -> String {
        language == .vietnamese ? nameVietnamese : nameEnglish
    }

    package func colourName(_ language: ReportLanguage) -> String {
        language == .vietnamese
            ? colourNameVietnamese : colourNameEnglish.prefix(1).uppercased() + colourNameEnglish.dropFirst()
    }

    /// Dark text on the light colours, white on the dark ones, so a printed cell stays legible.
    package var textColour: String {
        switch self {
        case .good, .moderate, .poor: "#000000"
        case .bad, .veryBad, .hazardous: "#FFFFFF"
        }
    }
}
