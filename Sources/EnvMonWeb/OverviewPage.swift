internal import EnvMonConfig
internal import EnvMonCore
internal import EnvMonJSON
internal import EnvMonStore

/// `/`: every site on the map of Cát Hải, coloured by its worst state, the list beside it, and
/// the active alerts (kept current by the live script).
enum OverviewPage {
    static func render(_ snapshot: ConsoleSnapshot, frame: PageFrame) -> String {
        let words = frame.words
        let markers = snapshot.sites.compactMap { status -> IslandMap.Marker? in
            guard let latitude = status.site.latitude, let longitude = status.site.longitude else { return nil }
            return IslandMap.Marker(
                id: status.site.id, name: status.site.name, latitude: latitude, longitude: longitude,
                state: status.state.name, href: "/sites/\(PageLayout.percentEncode(status.site.id))", label: nil)
        }
        let legend = SiteState.allCases.reversed().map { (state: $0.name, label: words.stateNames[$0] ?? $0.name) }
        var html = "<h1>\(PageLayout.escape(words.overview))</h1><div class=\"overview\">"
        html +=
            "<figure class=\"map\">\(IslandMap.svg(markers: markers, title: words.mapTitle, legend: legend))</figure>"
        html += "<section class=\"site-list\"><h2>\(PageLayout.escape(words.sites))</h2><table><thead><tr>"
        html += "<th>\(PageLayout.escape(words.site))</th><th>\(PageLayout.escape(words.state))</th>"
        html += "<th>\(PageLayout.escape(words.lastSeen))</th></tr></thead><tbody>"
        for status in snapshot.sites {
            let lastSeen = status.sensors.compactMap(\.lastSeen).max()
            html += "<tr class=\"site-row\" data-site=\"\(PageLayout.escape(status.site.id))\">"
            html += "<td><a href=\"/sites/\(PageLayout.percentEncode(status.site.id))\">"
            html += "\(PageLayout.escape(status.site.name))</a></td>"
            html +=
                "<td><span class=\"badge state-\(status.state.name)\" data-state-of=\"\(PageLayout.escape(status.site.id))\">"
            html += "\(PageLayout.escape(words.stateNames[status.state] ?? status.state.name))</span></td>"
            html += "<td>\(PageLayout.time(lastSeen))</td></tr>"
        }
        html += "</tbody></table></section></div>"
        html += AlertsPage.activeTable(snapshot.activeAlerts, frame: frame, withForms: false)
        return PageLayout.render(frame, title: words.overview, active: "overview", body: html)
    }
}
