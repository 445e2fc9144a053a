/// A report in one language, laid out as a Vietnamese administrative report (Nghị định 30/2020,
/// Phụ lục I): agency and national motto, number and dateline, "BÁO CÁO" and subject, sections
/// I–IV, recipients and signature, then an appendix. The English edition mirrors it line for line.
package struct ComposedReport: Sendable {
    package var language: ReportLanguage
    /// Issuing agency, top left: "ỦY BAN NHÂN DÂN" / "ĐẶC KHU CÁT HẢI".
    package var agency: [String]
    /// Quốc hiệu and Tiêu ngữ, top right.
    package var nation: [String]
    package var number: String
    package var dateline: String
    package var title: String
    package var subject: String
    package var blocks: [ReportBlock]
    package var recipientsLabel: String
    package var recipients: [String]
    package var signature: [String]
    package var signer: String?
    package var appendixTitle: String
    package var appendix: [ReportBlock]
}
