/// Section II: the digital-transformation indicators, one table per group, and a bar chart of
/// those with a target.
extension ReportComposer {
    func indicatorSection() -> [ReportBlock] {
        let indicators = document.indicators
        let heading = ReportBlock.heading(level: 1, text: words.indicators.heading)
        guard !indicators.isEmpty else { return [heading, .paragraph(words.indicators.noFile)] }
        let summary = words.indicators.summary(
            indicators.count, indicators.filter { $0.status == .met }.count,
            indicators.filter { $0.status == .notMet }.count, indicators.filter { $0.status == .noTarget }.count,
            document.indicatorSource)
        var blocks: [ReportBlock] = [heading, .paragraph(summary)]
        var number = 0
        for group in indicatorGroups() {
            let members = indicators.filter { $0.current.group == group.id }
            guard !members.isEmpty else { continue }
            number += 1
            blocks.append(.heading(level: 2, text: "\(number). \(group.name(language))"))
            blocks.append(indicatorTable(members))
        }
        let withTargets = indicators.filter { $0.current.target != nil }
        if !withTargets.isEmpty {
            blocks.append(.chart(.indicatorBars(withTargets, title: words.indicators.barsTitle)))
        }
        return blocks
    }

    /// The indicators file's groups, then any group an indicator names without the file
    /// declaring it (under its id).
    func indicatorGroups() -> [IndicatorGroup] {
        var groups = document.indicatorGroups
        for id in Set(document.indicators.map(\.current.group)) where !groups.contains(where: { $0.id == id }) {
            groups.append(IndicatorGroup(id: id, nameVietnamese: id, nameEnglish: id))
        }
        return groups
    }

    func indicatorTable(_ members: [IndicatorStatus]) -> ReportBlock {
        .table(
            ReportTable(
                headers: words.indicators.headers,
                rows: members.map { status in
                    let entry = status.current
                    var change = "–"
                    if let previous = status.previous, let delta = status.change {
                        change =
                            "\(format.change(delta)) (\(previous.period.label): \(format.indicatorValue(previous)))"
                    }
                    return [
                        entry.name(language), entry.period.label, format.indicatorValue(entry), entry.unit(language),
                        format.target(entry), words.names.status(status.status), change, entry.section,
                    ]
                }, numericColumns: [2, 4]))
    }
}
