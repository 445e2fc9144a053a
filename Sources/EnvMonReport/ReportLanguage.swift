/// The two editions of the report. They carry the same figures; only words and number
/// formatting differ (Vietnamese: 1.440 and 98,5; English: 1,440 and 98.5).
package enum ReportLanguage: String, Sendable, Hashable, CaseIterable {
    case vietnamese = "vi"
    case english = "en"
}
