/// The body of a composed report, independent of the output format: Markdown and HTML render the
/// same blocks, so they carry the same words and figures.
package enum ReportBlock: Sendable {
    /// Level 1 is a Roman-numeral section (I., II.), level 2 a numbered subsection.
    case heading(level: Int, text: String)
    case paragraph(String)
    /// Italic remark, e.g. the indicative nature of sensor exceedances.
    case note(String)
    case bullets([String])
    case table(ReportTable)
    /// Drawn as inline SVG in HTML; Markdown shows its caption only (the figures are in tables).
    case chart(ReportChart)
}

package struct ReportTable: Sendable {
    package var headers: [String]
    package var rows: [[String]]
    /// Columns aligned right (figures).
    package var numericColumns: Set<Int>
    /// Optional background colour per row (hex), e.g. an AQI category colour.
    package var rowColours: [String?]?

    package init(headers: [String], rows: [[String]], numericColumns: Set<Int> = [], rowColours: [String?]? = nil) {
        self.headers = headers
        self.rows = rows
        self.numericColumns = numericColumns
        self.rowColours = rowColours
    }
}

package enum ReportChart: Sendable {
    case series(ReportDocument.SeriesChart, title: String)
    case aqiCalendar(ReportDocument.StationAQI, title: String)
    case indicatorBars([IndicatorStatus], title: String)

    package var title: String {
        switch self {
        case .series(_, let title), .aqiCalendar(_, let title), .indicatorBars(_, let title): title
        }
    }
}
