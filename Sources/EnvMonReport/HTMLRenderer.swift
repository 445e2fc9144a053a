/// HTML edition: one self-contained file (inline CSS and SVG, nothing fetched), laid out for A4
/// with the margins of Nghị định 30/2020 (top/bottom 20 mm, left 30 mm, right 15 mm), Times New
/// Roman, page numbers centred at the top from page 2.
package enum HTMLRenderer {
    package static func render(_ report: ComposedReport, document: ReportDocument) -> String {
        let format = ReportFormatter(report.language)
        var html = """
            <!DOCTYPE html>
            <html lang="\(report.language.rawValue)">
            <head>
            <meta charset="utf-8">
            <title>\(escape(report.title)) — \(escape(report.subject))</title>
            <style>
            \(stylesheet)
            </style>
            </head>
            <body>
            <table class="masthead"><tr>
            <td class="agency">\(escape(report.agency[0]))<br><b>\(escape(report.agency[1]))</b><div class="rule short"></div><div class="number">\(escape(report.number))</div></td>
            <td class="nation"><b class="motto-country">\(escape(report.nation[0]))</b><br><b class="motto">\(escape(report.nation[1]))</b><div class="rule long"></div><div class="dateline"><i>\(escape(report.dateline))</i></div></td>
            </tr></table>
            <h1 class="title">\(escape(report.title))</h1>
            <p class="subject">\(escape(report.subject))</p>
            <div class="rule subject-rule"></div>

            """
        html += blocks(report.blocks, document: document, format: format)
        html += """
            <table class="closing"><tr>
            <td class="recipients"><b><i>\(escape(report.recipientsLabel))</i></b><ul>\(report.recipients.map { "<li>- \(escape($0))</li>" }.joined())</ul></td>
            <td class="signature">\(report.signature.map { "<b>\(escape($0))</b>" }.joined(separator: "<br>"))<div class="sign-space"></div><b>\(escape(report.signer ?? ""))</b></td>
            </tr></table>
            <section class="appendix">
            <h2 class="appendix-title">\(escape(report.appendixTitle))</h2>

            """
        html += blocks(report.appendix, document: document, format: format)
        html += "</section>\n</body>\n</html>\n"
        return html
    }

    static func blocks(_ blocks: [ReportBlock], document: ReportDocument, format: ReportFormatter) -> String {
        var html = ""
        for block in blocks {
            switch block {
            case .heading(let level, let text):
                html += "<h\(level + 1)>\(escape(text))</h\(level + 1)>\n"
            case .paragraph(let text):
                html += "<p>\(escape(text))</p>\n"
            case .note(let text):
                html += "<p class=\"note\"><i>\(escape(text))</i></p>\n"
            case .bullets(let items):
                html += "<ul class=\"dash\">" + items.map { "<li>- \(escape($0))</li>" }.joined() + "</ul>\n"
            case .table(let table):
                html += "<table class=\"data\"><thead><tr>"
                html += table.headers.map { "<th>\(escape($0))</th>" }.joined()
                html += "</tr></thead><tbody>"
                for (index, row) in table.rows.enumerated() {
                    var style = ""
                    if let colour = table.rowColours?[index] {
                        style = " style=\"--row:\(colour)\" class=\"coloured\""
                    }
                    html += "<tr\(style)>"
                    for (column, cell) in row.enumerated() {
                        let align = table.numericColumns.contains(column) ? " class=\"num\"" : ""
                        html += "<td\(align)>\(escape(cell))</td>"
                    }
                    html += "</tr>"
                }
                html += "</tbody></table>\n"
            case .chart(let chart):
                let svg: String
                switch chart {
                case .series(let series, _):
                    svg = SVGChart.series(series, from: document.period.from, to: document.dataUntil, format: format)
                case .aqiCalendar(let station, _):
                    svg = SVGChart.aqiCalendar(station, format: format)
                case .indicatorBars(let statuses, _):
                    svg = SVGChart.indicatorBars(statuses, format: format)
                }
                html += "<figure>\(svg)<figcaption>\(escape(chart.title))</figcaption></figure>\n"
            }
        }
        return html
    }

    static let stylesheet = """
        @page { size: A4; margin: 20mm 15mm 20mm 30mm;
          @top-center { content: counter(page); font-family: "Times New Roman", "Liberation Serif", serif; font-size: 13pt; } }
        @page :first { @top-center { content: none; } }
        html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        body { font-family: "Times New Roman", Times, "Liberation Serif", "DejaVu Serif", serif; font-size: 13pt;
          line-height: 1.35; color: #000; margin: 0; }
        @media screen { body { width: 165mm; margin: 12mm auto; padding: 0 6mm; } }
        table.masthead { width: 100%; border-collapse: collapse; margin-bottom: 6mm; }
        table.masthead td { vertical-align: top; text-align: center; padding: 0; }
        td.agency { width: 40%; font-size: 12.5pt; }
        td.nation { width: 60%; }
        .motto-country { font-size: 12pt; }
        .motto { font-size: 13.5pt; }
        .rule { border-top: 0.8pt solid #000; margin: 1mm auto 2mm; }
        .rule.short { width: 30%; }
        .rule.long { width: 62%; }
        .number { font-size: 13pt; }
        .dateline { font-size: 13.5pt; margin-top: 1mm; }
        h1.title { text-align: center; font-size: 14pt; margin: 4mm 0 0; }
        p.subject { text-align: center; font-weight: bold; font-size: 14pt; margin: 1mm 8mm 0; text-indent: 0; }
        .subject-rule { width: 25%; margin-bottom: 5mm; }
        h2 { font-size: 13pt; margin: 5mm 0 2mm; }
        h3 { font-size: 13pt; margin: 4mm 0 2mm; }
        p { text-align: justify; text-indent: 10mm; margin: 0 0 2mm; }
        p.note { font-size: 12pt; }
        ul { list-style: none; margin: 0 0 2mm; padding-left: 10mm; }
        ul.dash li { text-align: justify; margin-bottom: 1.5mm; }
        table.data { width: 100%; border-collapse: collapse; font-size: 10.5pt; margin: 2mm 0 4mm; page-break-inside: auto; }
        table.data th, table.data td { border: 0.6pt solid #000; padding: 0.8mm 1.5mm; vertical-align: top; }
        table.data th { font-weight: bold; text-align: center; background: #f1f1f1; }
        table.data td.num { text-align: right; white-space: nowrap; }
        table.data tr { page-break-inside: avoid; }
        tr.coloured td:first-child { box-shadow: inset 4mm 0 0 var(--row); padding-left: 5.5mm; }
        figure { margin: 2mm 0 5mm; page-break-inside: avoid; }
        figure svg { width: 100%; height: auto; font-family: "Times New Roman", "Liberation Serif", serif; }
        figcaption { text-align: center; font-style: italic; font-size: 11pt; }
        table.closing { width: 100%; border-collapse: collapse; margin-top: 8mm; page-break-inside: avoid; }
        table.closing td { vertical-align: top; padding: 0; }
        td.recipients { width: 50%; font-size: 12pt; }
        td.recipients ul { padding-left: 0; font-size: 11pt; }
        td.signature { width: 50%; text-align: center; font-size: 13.5pt; }
        .sign-space { height: 28mm; }
        section.appendix { page-break-before: always; }
        h2.appendix-title { text-align: center; }
        """

    /// Text for HTML element content and attribute values.
    package static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
