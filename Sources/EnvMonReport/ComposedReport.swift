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
