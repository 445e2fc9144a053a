internal import EnvMonCore
internal import EnvMonJSON
internal import EnvMonStore

/// `/health`: the daemon's figures (what `envmon stats` shows), the last day's rejects by
/// reason, and the backlog of every transmission target.
enum HealthPage {
    static func render(
        figures: [StoreFigures.Figure], rejects: [RejectReason: Int], outbox: [OutboxTargetStatus], frame: PageFrame
    ) -> String {
        let words = frame.words
        let e = PageLayout.escape
        var html = "<h1>\(e(words.health))</h1><div class=\"health\"><section><h2>\(e(words.rejectsLastDay))</h2>"
        if rejects.isEmpty {
            html += "<p class=\"empty\">\(e(words.noRejects))</p>"
        } else {
            html +=
                "<table id=\"rejects\"><thead><tr><th>\(e(words.reason))</th><th>\(e(words.count))</th></tr></thead><tbody>"
            for (reason, count) in rejects.sorted(by: { $0.value > $1.value }) {
                html += "<tr><td>\(e(reason.rawValue))</td><td class=\"num\">\(count)</td></tr>"
            }
            html += "</tbody></table>"
        }
        html += "<h2>\(e(words.transmission))</h2>"
        if outbox.isEmpty {
            html += "<p class=\"empty\">\(e(words.nothingConfigured))</p>"
        } else {
            html += "<table id=\"outbox\"><thead><tr><th>\(e(words.target))</th><th>\(e(words.sent))</th>"
            html += "<th>\(e(words.backlog))</th><th>\(e(words.oldestWaiting))</th><th>\(e(words.lastError))</th>"
            html += "</tr></thead><tbody>"
            for status in outbox {
                html += "<tr><td>\(e(status.target))</td><td class=\"num\">\(status.sent)</td>"
                html += "<td class=\"num\">\(status.backlog)</td>"
                html += "<td class=\"num\">\(status.oldestWaitingSeconds(now: frame.now).map(String.init) ?? "–")</td>"
                html += "<td>\(e(status.lastError ?? "–"))</td></tr>"
            }
            html += "</tbody></table>"
        }
        html += "</section><section><h2>\(e(words.figures))</h2><table id=\"figures\"><thead><tr>"
        html += "<th>\(e(words.figure))</th><th>\(e(words.value))</th></tr></thead><tbody>"
        for figure in figures {
            let value: String =
                switch figure.value {
                case .integer(let value): String(value)
                case .number(let value): DisplayText.value(value)
                case .time(let value): DisplayText.time(value)
                }
            html += "<tr><td>\(e(figure.name))</td><td class=\"num\">\(e(value))</td></tr>"
        }
        html += "</tbody></table></section></div>"
        return PageLayout.render(frame, title: words.health, active: "health", body: html)
    }
}
