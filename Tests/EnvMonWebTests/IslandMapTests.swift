import EnvMonConfig
import Foundation
import Testing

@testable import EnvMonWeb

@Suite struct IslandMapTests {
    static let legend: [(state: String, label: String)] = [
        ("alert", "Cảnh báo"), ("exceedance", "Vượt QCVN"), ("stale", "Mất dữ liệu"), ("maintenance", "Bảo trì"),
        ("ok", "Bình thường"), ("unknown", "Chưa rõ"),
    ]

    static func marker(
        _ id: String, _ latitude: Double, _ longitude: Double, name: String? = nil, label: String? = nil
    ) -> IslandMap.Marker {
        IslandMap.Marker(
            id: id, name: name ?? id, latitude: latitude, longitude: longitude, state: "ok", href: "/sites/\(id)",
            label: label)
    }

    /// The sites of the shipped config, with worst-value labels as the overview would show them.
    static func configSites() throws -> [IslandMap.Marker] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let configuration = try EnvMonConfiguration.load(path: root.appendingPathComponent("Config/envmon.toml").path)
        let states = ["alert", "exceedance", "stale", "maintenance", "ok", "unknown"]
        return configuration.sites.enumerated().map { index, site in
            IslandMap.Marker(
                id: site.id, name: site.name, latitude: site.latitude!, longitude: site.longitude!,
                state: states[index % states.count], href: "/sites/\(site.id)", label: "DO 4,\(index) mg/L")
        }
    }

    static func circles(_ root: SVGElement) -> [(site: String, x: Double, y: Double)] {
        root.elements(class: "site").compactMap { group in
            guard let circle = group.elements("circle").first else { return nil }
            return (group["data-site"] ?? "", circle.double("cx")!, circle.double("cy")!)
        }
    }

    static func viewBox(_ root: SVGElement) -> (width: Double, height: Double) {
        let parts = (root["viewBox"] ?? "").split(separator: " ").compactMap { Double($0) }
        return (parts[2], parts[3])
    }

    @Test func everyMarkerIsALinkedCircleOfItsSite() throws {
        let markers = try Self.configSites()
        let root = try SVGTree.parse(IslandMap.svg(markers: markers, title: "Bản đồ", legend: Self.legend))
        #expect(root.name == "svg")
        #expect(root["viewBox"] != nil)
        #expect(root["width"] == nil, "CSS sets the size")
        #expect(root.elements("circle").count == markers.count)
        #expect(Self.circles(root).map(\.site) == markers.map(\.id))
        let links = root.elements("a")
        #expect(links.map { $0["href"] } == markers.map { "/sites/\($0.id)" })
        #expect(links.allSatisfy { $0.children.first?.classes.contains("site") == true })
        #expect(links.map { $0.elements("title").first?.text } == markers.map(\.name))
        let groups = root.elements(class: "site")
        #expect(groups.map { $0.classes.last } == markers.map { "state-\($0.state)" })
        // The short name and the label under it.
        let text = try #require(groups.first { $0["data-site"] == "cat_ba_town" }?.elements("text").first)
        #expect(text.text == "Thị trấn Cát Bà")
        #expect(text.elements("tspan").first?.text.hasPrefix("DO 4,") == true)
    }

    /// Two markers far outside the outline fix the map's box; a third must sit where an
    /// equirectangular projection scaled by cos(middle latitude) puts it between them.
    @Test func markerLandsWhereTheProjectionPutsIt() throws {
        let markers = [
            Self.marker("sw", 20.5, 106.7), Self.marker("ne", 21.0, 107.3), Self.marker("mid", 20.6, 107.15),
        ]
        let root = try SVGTree.parse(IslandMap.svg(markers: markers, title: "t"))
        let points = Self.circles(root)
        let (sw, ne, mid) = (points[0], points[1], points[2])
        let box = Self.viewBox(root)
        for point in points {
            #expect(point.x > 0 && point.x < box.width && point.y > 0 && point.y < box.height)
        }
        #expect(sw.x < ne.x && sw.y > ne.y, "east is right, north is up")
        let unitsPerDegreeLatitude = (sw.y - ne.y) / 0.5
        let unitsPerDegreeLongitude = (ne.x - sw.x) / 0.6
        #expect(abs(unitsPerDegreeLongitude / unitsPerDegreeLatitude - cos(20.75 * .pi / 180)) < 0.002)
        #expect(abs(mid.x - (sw.x + 0.45 * unitsPerDegreeLongitude)) < 0.15)
        #expect(abs(mid.y - (sw.y - 0.1 * unitsPerDegreeLatitude)) < 0.15)
    }

    @Test func configMapStaysSmallAndInsideItsBox() throws {
        let markers = try Self.configSites()
        let svg = IslandMap.svg(markers: markers, title: "Bản đồ đặc khu Cát Hải", legend: Self.legend)
        print("IslandMap with the \(markers.count) sites of Config/envmon.toml: \(svg.utf8.count) bytes")
        #expect(markers.count == 10)
        #expect(svg.utf8.count < 40_000)
        let root = try SVGTree.parse(svg)
        let box = Self.viewBox(root)
        for text in root.elements(class: "site").flatMap({ $0.elements("text") }) {
            let x = try #require(text.double("x"))
            let y = try #require(text.double("y"))
            #expect(x >= 0 && x < box.width && y > 0 && y < box.height)
        }
    }

    /// The schematic must put the land sites on land and the bay sites on water (domain.md §3.2).
    @Test(arguments: [
        ("viet_hai", 20.78, 107.06, true), ("cat_hai", 20.80, 106.89, true), ("gia_luan", 20.85, 106.98, true),
        ("cat_ba_town", 20.726, 107.048, true), ("lach_huyen", 20.84, 106.86, true),
        ("lan_ha", 20.772, 107.072, false), ("ben_beo", 20.718, 107.060, false),
        ("cua_tung_gau", 20.779, 107.083, false), ("between the islands", 20.80, 106.935, false),
    ])
    func outlineAgreesWithKnownPlaces(place: String, latitude: Double, longitude: Double, onLand: Bool) {
        let inside = IslandOutline.islands.contains { island in
            // Ray casting eastwards from the point.
            var crossings = 0
            for (a, b) in zip(island.ring, island.ring.dropFirst() + [island.ring[0]])
            where (a.latitude > latitude) != (b.latitude > latitude) {
                let t = (latitude - a.latitude) / (b.latitude - a.latitude)
                if a.longitude + t * (b.longitude - a.longitude) > longitude { crossings += 1 }
            }
            return crossings % 2 == 1
        }
        #expect(inside == onLand, "\(place)")
    }

    @Test func coincidentSitesStayApartWithLeaders() throws {
        let markers = [
            Self.marker("a", 20.75, 107.0, label: "1"), Self.marker("b", 20.75, 107.0, label: "2"),
            Self.marker("c", 20.7501, 107.0001, label: "3"),
        ]
        let root = try SVGTree.parse(IslandMap.svg(markers: markers, title: "t"))
        let points = Self.circles(root)
        let radius = try #require(root.elements("circle").first?.double("r"))
        for (i, first) in points.enumerated() {
            for second in points[(i + 1)...] {
                #expect(hypot(first.x - second.x, first.y - second.y) >= 2 * radius)
            }
        }
        #expect(root.elements(class: "leader").count >= 3, "each moved circle points back to its site")
        let anchors = root.elements(class: "anchor")
        #expect(anchors.count == 3)
        let labelPositions = Set(
            root.elements(class: "site").compactMap { group in
                group.elements("text").first.map { "\($0["x"]!),\($0["y"]!)" }
            })
        #expect(labelPositions.count == 3)
    }

    /// The label boxes (estimated from the text as the browser would lay it out, roughly) of the
    /// crowded Cát Bà town cluster do not cover each other.
    @Test func crowdedLabelsDoNotOverlap() throws {
        let root = try SVGTree.parse(IslandMap.svg(markers: try Self.configSites(), title: "t"))
        let boxes = root.elements(class: "site").compactMap { group -> (Double, Double, Double, Double)? in
            guard let text = group.elements("text").first, let x = text.double("x"), let y = text.double("y")
            else { return nil }
            let lines = [text.text] + text.elements("tspan").map(\.text)
            let width = lines.map { Double($0.count) * 11 * 0.5 }.max()!
            return (x, y - 10, width, Double(lines.count) * 12)
        }
        #expect(boxes.count == 10)
        for (i, a) in boxes.enumerated() {
            for b in boxes[(i + 1)...] {
                let overlaps = a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3
                #expect(!overlaps, "\(a) \(b)")
            }
        }
    }

    @Test func specialCharactersAreEscaped() throws {
        let marker = IslandMap.Marker(
            id: "x\"<y>", name: "Cát & <Bà> \"1\"", latitude: 20.75, longitude: 107.0, state: "ok",
            href: "/sites/x?a=1&b=2", label: "<5 & >3")
        let svg = IslandMap.svg(markers: [marker], title: "A & B <map>", legend: [("ok", "Tốt & <ổn>")])
        let root = try SVGTree.parse(svg)
        #expect(root.elements("title").first?.text == "A & B <map>")
        let group = try #require(root.elements(class: "site").first)
        #expect(group["data-site"] == "x\"<y>")
        #expect(group.elements("title").first?.text == "Cát & <Bà> \"1\"")
        #expect(root.elements("a").first?["href"] == "/sites/x?a=1&b=2")
        #expect(group.elements("tspan").first?.text == "<5 & >3")
        #expect(root.elements(class: "legend").first?.fullText.contains("Tốt & <ổn>") == true)
    }

    /// The legend lists the caller's states in order; the scale bar's length is its kilometres
    /// at the map's scale, measured between two markers a known distance apart.
    @Test func legendAndScaleBar() throws {
        let markers = [Self.marker("sw", 20.5, 106.7), Self.marker("ne", 21.0, 107.3)]
        let root = try SVGTree.parse(IslandMap.svg(markers: markers, title: "t", legend: Self.legend))
        let legend = try #require(root.elements(class: "legend").first)
        #expect(legend.elements("rect").map { $0["class"] } == Self.legend.map { "state-\($0.state)" })
        #expect(legend.elements("text").map(\.text) == Self.legend.map(\.label))
        let points = Self.circles(root)
        let unitsPerKilometre = (points[0].y - points[1].y) / (0.5 * 6371 * .pi / 180)
        let bar = try #require(root.elements(class: "scale-bar").first)
        let length = bar.elements("rect").compactMap { $0.double("width") }.reduce(0, +)
        let label = try #require(bar.elements("text").last?.text)
        let kilometres = try #require(Double(label.replacingOccurrences(of: " km", with: "")))
        #expect(abs(length - kilometres * unitsPerKilometre) < 0.3)
        #expect(root.elements(class: "north-arrow").count == 1)
    }

    @Test func markersWithoutCoordinatesAreLeftOut() throws {
        let markers = [Self.marker("a", 20.75, 107.0), Self.marker("b", .nan, 107.0)]
        let root = try SVGTree.parse(IslandMap.svg(markers: markers, title: "t"))
        #expect(Self.circles(root).map(\.site) == ["a"])
    }
}
