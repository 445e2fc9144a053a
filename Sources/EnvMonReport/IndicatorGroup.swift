/// A group of digital-transformation indicators, as officials group them (DTI foundation indices
/// and the three pillars, domain.md §4.3).
package struct IndicatorGroup: Hashable, Sendable {
    package var id: String
    package var nameVietnamese: String
    package var nameEnglish: String

    package init(id: String, nameVietnamese: String, nameEnglish: String) {
        self.id = id
        self.nameVietnamese = nameVietnamese
        self.nameEnglish = nameEnglish
    }

    package func name(_ language: ReportLanguage) -> String {
        language == .vietnamese ? nameVietnamese : nameEnglish
    }
}
