/// The overview page's map of đặc khu Cát Hải: the islands' outline with one linked marker per
/// site, coloured by its state, a legend, a north arrow and a scale bar.
///
/// Server-side SVG with no tiles, scripts or fonts to fetch (the console runs on an island LAN
/// with no internet). Colours come from the page's stylesheet through the `state-<state>`
/// classes; the `fill` attributes are only defaults so the SVG reads on its own (CSS rules
/// such as `.state-alert > circle` override them).
package enum IslandMap {
    package struct Marker: Sendable {
        package var id: String
        package var name: String
        package var latitude: Double
        package var longitude: Double
        /// A CSS class suffix: "alert", "exceedance", "stale", "maintenance", "ok" or "unknown".
        package var state: String
        package var href: String
        /// Short text under the marker's name, such as the worst value.
        package var label: String?

        package init(
            id: String, name: String, latitude: Double, longitude: Double, state: String, href: String,
            label: String? = nil
        ) {
            self.id = id
            self.name = name
            self.latitude = latitude
            self.longitude = longitude
            self.state = state
            self.href = href
            self.label = label
        }
    }

    static let width = 800.0
    static let margin = 30.0
    static let radius = 7.0
    static let nameSize = 11.0
    static let labelSize = 10.5
    static let legendRowHeight = 22.0

    /// Fallback fills per state, used when the page's stylesheet does not set them.
    static let defaultFills: [String: String] = [
        "alert": "#c62828", "exceedance": "#ef6c00", "stale": "#9e9e9e", "maintenance": "#6a4c93",
        "ok": "#2e7d32", "unknown": "#ffffff",
    ]

    /// `legend` lists the states to explain, in order, with the caller's localised labels.
    /// Markers without finite coordinates cannot be placed and are left out.
    package static func svg(markers: [Marker], title: String, legend: [(state: String, label: String)] = []) -> String {
        let markers = markers.filter { $0.latitude.isFinite && $0.longitude.isFinite }
        let projection = projection(for: markers)
        let mapHeight = projection.height
        let northArrow = MarkerLayout.Box(x: width - margin - 8, y: 6, width: 24, height: 40)
        let layout = MarkerLayout(
            radius: radius, bounds: .init(x: 2, y: 2, width: width - 4, height: mapHeight - 4), reserved: [northArrow])
        let texts = markers.map(labelLines)
        let placements = layout.place(
            anchors: markers.map { projection.point(.init($0.longitude, $0.latitude)) },
            labelSizes: texts.map(labelSize))
        let legendRows = legendLayout(legend)
        let height = mapHeight + Double(max(1, legendRows.count)) * legendRowHeight + 6

        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 \(c(width)) \(c(height))\" class=\"island-map\" font-family=\"\(SVGFormat.fontFamily)\">"
        svg += "<title>\(SVGFormat.escape(title))</title>"
        svg += "<rect class=\"sea\" width=\"\(c(width))\" height=\"\(c(mapHeight))\" fill=\"#dcebf5\"/>"
        svg += land(projection)
        svg += furniture(projection, northArrow: northArrow)
        for (index, marker) in markers.enumerated() {
            svg += markerElement(marker, placement: placements[index], lines: texts[index])
        }
        svg += legendElement(legendRows, top: mapHeight, projection: projection)
        return svg + "</svg>"
    }

    /// Fits the outline and every marker, so a site off the drawn coast still shows.
    static func projection(for markers: [Marker]) -> MapProjection {
        var (minimum, maximum) = IslandOutline.bounds
        for marker in markers {
            minimum.longitude = min(minimum.longitude, marker.longitude)
            minimum.latitude = min(minimum.latitude, marker.latitude)
            maximum.longitude = max(maximum.longitude, marker.longitude)
            maximum.latitude = max(maximum.latitude, marker.latitude)
        }
        return MapProjection(minimum: minimum, maximum: maximum, width: width, margin: margin)
    }

    static func land(_ projection: MapProjection) -> String {
        var path = ""
        for island in IslandOutline.islands {
            for (index, coordinate) in island.ring.enumerated() {
                let point = projection.point(coordinate)
                path += "\(index == 0 ? "M" : "L")\(c(point.x)) \(c(point.y))"
            }
            path += "Z"
        }
        return "<path class=\"land\" fill=\"#efe9d6\" stroke=\"#9a9272\" stroke-width=\"0.8\" d=\"\(path)\"/>"
    }

    /// The bridge stub, the place names and the north arrow: everything drawn under the markers.
    static func furniture(_ projection: MapProjection, northArrow: MarkerLayout.Box) -> String {
        let start = projection.point(IslandOutline.bridgeStart)
        let heading = projection.point(IslandOutline.bridgeHeading)
        // Run the stub west to the map's edge along the bridge's heading.
        let slope = (heading.y - start.y) / (heading.x - start.x)
        let endY = start.y + slope * (0 - start.x)
        var svg =
            "<g class=\"bridge\"><title>Cầu Tân Vũ – Lạch Huyện</title><path d=\"M\(c(start.x)) \(c(start.y))L0 \(c(endY))\" stroke=\"#9a9272\" stroke-width=\"2\" stroke-dasharray=\"5 3\" fill=\"none\"/></g>"
        svg +=
            "<g class=\"place-names\" font-size=\"13\" font-style=\"italic\" fill=\"#857d5e\" text-anchor=\"middle\">"
        for place in IslandOutline.placeNames {
            let point = projection.point(place.at)
            svg += "<text x=\"\(c(point.x))\" y=\"\(c(point.y))\">\(SVGFormat.escape(place.text))</text>"
        }
        svg += "</g>"
        let arrowX = northArrow.x + northArrow.width / 2
        svg +=
            "<g class=\"north-arrow\" transform=\"translate(\(c(arrowX)) \(c(northArrow.y + 22)))\"><path d=\"M0 -16L7 6L0 1L-7 6Z\" fill=\"#333\"/><text y=\"18\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"bold\" fill=\"#333\">N</text></g>"
        return svg
    }

    static func markerElement(_ marker: Marker, placement: MarkerLayout.Placement, lines: [String]) -> String {
        let href = SVGFormat.escape(marker.href)
        let state = SVGFormat.escape(marker.state)
        let fill = defaultFills[marker.state] ?? "#bdbdbd"
        var svg =
            "<a href=\"\(href)\" xlink:href=\"\(href)\"><g class=\"site state-\(state)\" data-site=\"\(SVGFormat.escape(marker.id))\">"
        svg += "<title>\(SVGFormat.escape(marker.name))</title>"
        let (cx, cy) = placement.centre
        if placement.isDisplaced {
            let (ax, ay) = placement.anchor
            svg +=
                "<path class=\"leader\" d=\"M\(c(ax)) \(c(ay))L\(c(cx)) \(c(cy))\" stroke=\"#333\" stroke-width=\"0.8\"/>"
            svg +=
                "<rect class=\"anchor\" x=\"\(c(ax - 1.5))\" y=\"\(c(ay - 1.5))\" width=\"3\" height=\"3\" fill=\"#333\"/>"
        }
        if placement.label != nil, let end = placement.labelLeader {
            svg +=
                "<path class=\"leader\" d=\"M\(c(cx)) \(c(cy))L\(c(end.x)) \(c(end.y))\" stroke=\"#555\" stroke-width=\"0.6\"/>"
        }
        svg +=
            "<circle cx=\"\(c(cx))\" cy=\"\(c(cy))\" r=\"\(c(radius))\" fill=\"\(fill)\" stroke=\"#222\" stroke-width=\"1.2\"/>"
        if let box = placement.label, let first = lines.first {
            svg +=
                "<text x=\"\(c(box.x))\" y=\"\(c(box.y + nameSize))\" font-size=\"\(c(nameSize))\" fill=\"#1a1a1a\">\(SVGFormat.escape(first))"
            if lines.count > 1 {
                svg +=
                    "<tspan class=\"value\" x=\"\(c(box.x))\" dy=\"\(c(labelSize + 2))\" font-size=\"\(c(labelSize))\" font-weight=\"bold\">\(SVGFormat.escape(lines[1]))</tspan>"
            }
            svg += "</text>"
        }
        return svg + "</g></a>"
    }

    /// The name up to its first qualifier ("Thị trấn Cát Bà — cảng" → "Thị trấn Cát Bà"), and
    /// the caller's label: the full name is in the marker's tooltip.
    static func labelLines(_ marker: Marker) -> [String] {
        var name = marker.name
        for separator in [" — ", " (", ", "] {
            if let range = name.range(of: separator) { name = String(name[..<range.lowerBound]) }
        }
        if name.count > 26 { name = String(name.prefix(25)) + "…" }
        var lines = [name]
        if let label = marker.label, !label.isEmpty { lines.append(label) }
        return lines
    }

    /// An estimate from character counts: the server cannot measure text, and a generous
    /// estimate only costs a little more spacing.
    static func labelSize(_ lines: [String]) -> (width: Double, height: Double)? {
        guard let first = lines.first else { return nil }
        let nameWidth = Double(first.count) * nameSize * 0.56
        let valueWidth = lines.count > 1 ? Double(lines[1].count) * labelSize * 0.62 : 0
        let height = nameSize + 3 + (lines.count > 1 ? labelSize + 2 : 0)
        return (max(nameWidth, valueWidth) + 2, height)
    }

    struct LegendEntry {
        var state: String
        var label: String
        var x: Double
    }

    /// Entries left to right, wrapping before the scale bar's corner.
    static func legendLayout(_ legend: [(state: String, label: String)]) -> [[LegendEntry]] {
        let available = width - margin - 150
        var rows: [[LegendEntry]] = [[]]
        var x = margin
        for item in legend {
            let itemWidth = 18 + Double(item.label.count) * 12 * 0.56 + 14
            if x + itemWidth > available, !rows[rows.count - 1].isEmpty {
                rows.append([])
                x = margin
            }
            rows[rows.count - 1].append(LegendEntry(state: item.state, label: item.label, x: x))
            x += itemWidth
        }
        return rows.filter { !$0.isEmpty }
    }

    static func legendElement(_ rows: [[LegendEntry]], top: Double, projection: MapProjection) -> String {
        var svg = "<g class=\"legend\" font-size=\"12\" fill=\"#1a1a1a\">"
        for (row, entries) in rows.enumerated() {
            let y = top + 8 + Double(row) * legendRowHeight
            for entry in entries {
                let fill = defaultFills[entry.state] ?? "#bdbdbd"
                svg +=
                    "<rect class=\"state-\(SVGFormat.escape(entry.state))\" x=\"\(c(entry.x))\" y=\"\(c(y))\" width=\"12\" height=\"12\" rx=\"6\" fill=\"\(fill)\" stroke=\"#222\"/>"
                svg += "<text x=\"\(c(entry.x + 17))\" y=\"\(c(y + 10.5))\">\(SVGFormat.escape(entry.label))</text>"
            }
        }
        svg += "</g>"
        return svg + scaleBar(top: top, projection: projection)
    }

    /// A bar of a round number of kilometres, at most about a fifth of the map's width, in two
    /// alternating halves.
    static func scaleBar(top: Double, projection: MapProjection) -> String {
        let perKilometre = projection.unitsPerKilometre
        let kilometres =
            [1.0, 2, 5, 10, 20, 50, 100, 200, 500].last { $0 * perKilometre <= width * 0.2 } ?? 1
        let length = kilometres * perKilometre
        let x = width - margin - length
        let y = top + 10
        var svg = "<g class=\"scale-bar\" font-size=\"11\" fill=\"#1a1a1a\">"
        svg +=
            "<rect x=\"\(c(x))\" y=\"\(c(y))\" width=\"\(c(length / 2))\" height=\"5\" fill=\"#1a1a1a\" stroke=\"#1a1a1a\" stroke-width=\"0.6\"/>"
        svg +=
            "<rect x=\"\(c(x + length / 2))\" y=\"\(c(y))\" width=\"\(c(length / 2))\" height=\"5\" fill=\"#fff\" stroke=\"#1a1a1a\" stroke-width=\"0.6\"/>"
        svg += "<text x=\"\(c(x))\" y=\"\(c(y + 16))\" text-anchor=\"middle\">0</text>"
        svg +=
            "<text x=\"\(c(x + length))\" y=\"\(c(y + 16))\" text-anchor=\"middle\">\(SVGFormat.number(kilometres, decimals: 0)) km</text>"
        return svg + "</g>"
    }

    static func c(_ value: Double) -> String { SVGFormat.coordinate(value) }
}
