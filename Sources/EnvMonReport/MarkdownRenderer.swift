/// Markdown edition: plain text for e-mail, chat or a Git repository. Charts appear as their
/// captions; their figures are in the tables.
package enum MarkdownRenderer {
    package static func render(_ report: ComposedReport) -> String {
        var lines: [String] = []
        let figure = ReportWords.of(report.language).charts.chart
        // The two header columns of NĐ 30/2020: agency left, national motto right.
        lines.append(
            "| \(report.agency[0])<br>**\(report.agency[1])** | **\(report.nation[0])**<br>**\(report.nation[1])** |")
        lines.append("|:---:|:---:|")
        lines.append("| \(report.number) | *\(report.dateline)* |")
        lines.append("")
        lines.append("<div align=\"center\">")
        lines.append("")
        lines.append("**\(report.title)**")
        lines.append("")
        lines.append("**\(escape(report.subject))**")
        lines.append("")
        lines.append("</div>")
        lines.append("")
        lines += blocks(report.blocks, figure: figure)
        lines.append("***\(report.recipientsLabel)***")
        lines.append("")
        lines += report.recipients.map { "- \(escape($0))" }
        lines.append("")
        lines += report.signature.map { "**\($0)**  " }
        lines.append("")
        lines.append(report.signer.map { "**\(escape($0))**" } ?? "")
        lines.append("")
        lines.append("---")
        lines.append("")
        lines.append("## \(report.appendixTitle)")
        lines.append("")
        lines += blocks(report.appendix, figure: figure)
        return lines.joined(separator: "\n")
    }

    /// The lines of some blocks alone (without masthead or signature), e.g. to compare editions.
    package static func blocks(_ blocks: [ReportBlock], figure: String) -> [String] {
        var lines: [String] = []
        for block in blocks {
            switch block {
            case .heading(let level, let text):
                lines.append("\(String(repeating: "#", count: level + 1)) \(escape(text))")
            case .paragraph(let text):
                lines.append(escape(text))
            case .note(let text):
                lines.append("*\(escape(text))*")
            case .bullets(let items):
                lines += items.map { "- \(escape($0))" }
            case .table(let table):
                lines.append("| " + table.headers.map(cell).joined(separator: " | ") + " |")
                lines.append(
                    "|"
                        + table.headers.indices.map { table.numericColumns.contains($0) ? "---:" : "---" }.joined(
                            separator: "|") + "|")
                for row in table.rows { lines.append("| " + row.map(cell).joined(separator: " | ") + " |") }
            case .chart(let chart):
                lines.append("*[\(figure): \(escape(chart.title))]*")
            }
            lines.append("")
        }
        return lines
    }

    /// Markdown would read `*`, `_` and a leading `#` as markup.
    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            if character == "*" || character == "_" || character == "`" { result.append("\\") }
            result.append(character)
        }
        return result
    }

    static func cell(_ text: String) -> String {
        escape(text).replacingPipes()
    }
}

extension String {
    fileprivate func replacingPipes() -> String {
        var result = ""
        for character in self { result += character == "|" ? "\\|" : String(character) }
        return result
    }
}
