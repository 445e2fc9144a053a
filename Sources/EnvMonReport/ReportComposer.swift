package import EnvMonCore

/// Turns a `ReportDocument` into the blocks of one edition. The layout is here, one file per
/// section (ReportComposer+Network.swift, …); the words are in `ReportWords`.
package struct ReportComposer: Sendable {
    package var document: ReportDocument
    package var language: ReportLanguage
    package var catalogue: MetricCatalogue
    let format: ReportFormatter
    let words: ReportWords

    package init(document: ReportDocument, language: ReportLanguage, catalogue: MetricCatalogue = .standard) {
        self.document = document
        self.language = language
        self.catalogue = catalogue
        self.format = ReportFormatter(language)
        self.words = ReportWords.of(language)
    }

    /// Left for the clerk to fill in when the report is registered; the same in both editions.
    static let blankNumber = "…/BC-UBND"
    /// The dateline's place, a name in both editions.
    static let place = "Cát Hải"

    package func compose() -> ComposedReport {
        let periodName = format.periodName(document.period)
        let masthead = words.masthead
        var blocks: [ReportBlock] = [.paragraph(masthead.introduction(periodName, format.span(document.period)))]
        blocks += networkSection()
        blocks += indicatorSection()
        blocks += difficultiesSection()
        blocks += tasksSection()
        return ComposedReport(
            language: language, agency: masthead.agency, nation: masthead.nation,
            number: masthead.number(document.number ?? Self.blankNumber),
            dateline: format.dateline(document.generatedAt, place: Self.place), title: masthead.title,
            subject: masthead.subject(periodName), blocks: blocks, recipientsLabel: masthead.recipientsLabel,
            recipients: masthead.recipients, signature: masthead.signature, signer: document.signer,
            appendixTitle: masthead.appendixTitle, appendix: appendix())
    }

    // MARK: - Names of the document's things

    /// The catalogue's name of a metric in this edition's language, or its id when it has none.
    func metricName(_ metric: String) -> String {
        guard let definition = catalogue.definition(named: metric) else { return metric }
        return language == .vietnamese ? definition.nameVietnamese : definition.nameEnglish
    }

    func siteName(_ id: String) -> String {
        document.network.sites.first { $0.site == id }?.name ?? id
    }

    func severityName(_ severity: String) -> String {
        words.names.severities[severity] ?? severity
    }

    /// " mg/L" after a value; nothing for pH, whose unit is its name.
    func unitSuffix(_ unit: String) -> String { unit.isEmpty || unit == "pH" ? "" : " " + unit }
}
