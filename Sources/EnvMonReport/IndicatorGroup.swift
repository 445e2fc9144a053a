/// A group of digital-transformation indicators, as officials group them (DTI foundation indices
/// and the three pillars, domain.md §4.3).
public struct IndicatorGroup: Hashable, Sendable {
    public var id: String
    public var nameVietnamese: String
    public var nameEnglish: String

    public init(id: String, nameVietnamese: String, nameEnglish: String) {
        self.id = id
        self.nameVietnamese = nameVietnamese
        self.nameEnglish = nameEnglish
    }

    public func name(_ language: ReportLanguage) -> String {
        language == .vietnamese ? nameVietnamese : nameEnglish
    }
}
