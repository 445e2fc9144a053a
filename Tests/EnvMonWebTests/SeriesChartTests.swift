import EnvMonCore
import EnvMonWeb
import Foundation
import Testing

@Suite struct SeriesChartTests {
    static let hour: Int64 = 3_600_000
    static let day: Int64 = 86_400_000
    /// 2026-05-01 00:00 in Vietnam (UTC+7), i.e. 2026-04-30 17:00 UTC.
    static let localMidnight = Int64(RFC3339.days(fromCivil: 2026, 5, 1)) * day - 7 * hour

    /// Hourly buckets over one local day, without hours 5–7 (a gap of four hours: the line breaks)
    /// and hour 15 (two hours: it does not), mean 10–20 with ±1 around it.
    static let hourly: [SeriesChart.Point] = (0..<24).filter { ![5, 6, 7, 15].contains($0) }.map { hour in
        let mean = 10 + Double(hour) * 10 / 23
        return SeriesChart.Point(
            time: localMidnight + Int64(hour) * Self.hour, mean: mean, minimum: mean - 1, maximum: mean + 1)
    }

    static func chart(
        points: [SeriesChart.Point] = hourly, failed: [SeriesChart.Failed] = [],
        thresholds: [SeriesChart.Threshold] = [],
        span: Int64 = day, title: String = "DO", unit: String = "mg/L", labels: ((Int64) -> String)? = nil
    ) -> String {
        SeriesChart.svg(
            points: points, failed: failed, thresholds: thresholds, from: localMidnight, to: localMidnight + span,
            unit: unit, title: title, emptyText: "Không có dữ liệu", timeLabel: labels ?? { String($0) })
    }

    /// The y of `value` from two labelled grid lines: independent of the chart's margins.
    static func expectedY(_ value: Double, in root: SVGElement) throws -> Double {
        let grid = root.elements(class: "grid")
        let first = try #require(grid.first)
        let last = try #require(grid.last)
        let (v1, y1) = (try #require(first.double("data-value")), try #require(first.double("y1")))
        let (v2, y2) = (try #require(last.double("data-value")), try #require(last.double("y1")))
        return y1 + (value - v1) / (v2 - v1) * (y2 - y1)
    }

    @Test func gapsBreakTheMeanAndTheBand() throws {
        let root = try SVGTree.parse(Self.chart())
        #expect(root["data-points"] == "20")
        #expect(root["width"] == nil)
        let means = root.elements("polyline").filter { $0.classes == ["mean"] }
        #expect(means.map(\.vertices.count) == [5, 15])
        #expect(means.map(\.vertices.count).reduce(0, +) == Int(root["data-points"]!))
        let bands = root.elements(class: "band")
        #expect(bands.map { $0.name } == ["polygon", "polygon"])
        #expect(bands.map(\.vertices.count) == [10, 30])
    }

    /// Each mean sits mid-bucket at its value: measured against the 03:00 and 06:00 ticks and the
    /// grid lines.
    @Test func meansLandAtTheirBucketsMiddle() throws {
        var ticks: [Int64] = []
        let root = try SVGTree.parse(
            Self.chart(labels: {
                ticks.append($0); return ""
            }))
        let lines = root.elements(class: "time-tick")
        #expect(lines.count == ticks.count)
        let x3 = try #require(lines[1].double("x1"))
        let x6 = try #require(lines[2].double("x1"))
        #expect(ticks[1] == Self.localMidnight + 3 * Self.hour)
        let perHour = (x6 - x3) / 3
        let mean = try #require(root.elements(class: "mean").first)
        for (index, vertex) in mean.vertices.enumerated() {
            let point = Self.hourly[index]
            #expect(abs(vertex.x - (x3 + (Double(index) + 0.5 - 3) * perHour)) < 0.15)
            #expect(abs(vertex.y - (try Self.expectedY(point.mean, in: root))) < 0.15)
        }
    }

    @Test func failedReadingsAreOneCrossEach() throws {
        let failed = (0..<7).map {
            SeriesChart.Failed(time: Self.localMidnight + Int64($0) * 3 * Self.hour, value: -99)
        }
        let root = try SVGTree.parse(Self.chart(failed: failed))
        #expect(root.elements(class: "qc-fail").count == 7)
        // Wild values are pinned to the plot's edge rather than stretching the axis.
        let bottom = try #require(root.elements(class: "plot").first.map { $0.double("y")! + $0.double("height")! })
        let grid = root.elements(class: "grid").compactMap { $0.double("data-value") }
        #expect(grid.min()! > 0)
        let crossY = root.elements(class: "qc-fail").map { path in
            Double(path["d"]!.dropFirst().split(separator: "l")[0].split(separator: " ")[1])! + 2.5
        }
        #expect(crossY.allSatisfy { abs($0 - bottom) < 0.2 })
    }

    @Test func failedReadingsAreCappedAndTheCapSaid() throws {
        let failed = (0..<2_500).map { SeriesChart.Failed(time: Self.localMidnight + Int64($0) * 30_000, value: 15) }
        let svg = Self.chart(failed: failed)
        let root = try SVGTree.parse(svg)
        #expect(root.elements(class: "qc-fail").count == 1_000)
        let description = try #require(root.elements("desc").first?.text)
        #expect(description.contains("2500 QC-failed readings, 1000 drawn"))
        #expect(svg.utf8.count < 80_000)
    }

    @Test func thresholdsAreLinesAtTheirValues() throws {
        let thresholds = [
            SeriesChart.Threshold(value: 22, label: "Ngưỡng cảnh báo 22", kind: "alert"),
            SeriesChart.Threshold(value: 5, label: "QCVN 10: 5", kind: "qcvn"),
        ]
        let root = try SVGTree.parse(Self.chart(thresholds: thresholds))
        let alert = try #require(root.elements(class: "threshold-alert").first)
        let qcvn = try #require(root.elements(class: "threshold-qcvn").first)
        #expect(abs(alert.double("y1")! - (try Self.expectedY(22, in: root))) < 0.15)
        #expect(abs(qcvn.double("y1")! - (try Self.expectedY(5, in: root))) < 0.15)
        #expect(alert.double("y1") == alert.double("y2"))
        #expect(alert["stroke-dasharray"] != nil && alert["stroke-dasharray"] != qcvn["stroke-dasharray"])
        #expect(alert["stroke"] != qcvn["stroke"])
        let labels = root.elements(class: "threshold-label").map(\.text)
        #expect(labels == ["Ngưỡng cảnh báo 22", "QCVN 10: 5"])
        #expect(root.elements(class: "note").isEmpty)
    }

    /// A limit more than half the data's range beyond it is left off the axis and named in the note.
    @Test func farThresholdsAreLeftOutWithANote() throws {
        let thresholds = [
            SeriesChart.Threshold(value: 50, label: "QCVN 50", kind: "qcvn"),
            SeriesChart.Threshold(value: 26, label: "alert 26", kind: "alert"),
            SeriesChart.Threshold(value: -10, label: "low -10", kind: "alert"),
        ]
        let root = try SVGTree.parse(Self.chart(thresholds: thresholds))
        // Data 9…21 (range 12): 26 is within 6 above, 50 and -10 are not.
        #expect(root.elements(class: "threshold").compactMap { $0.double("data-value") } == [26])
        let grid = root.elements(class: "grid").compactMap { $0.double("data-value") }
        #expect(grid.max()! < 35 && grid.min()! > 0)
        let note = try #require(root.elements(class: "note").first?.text)
        #expect(note == "↑ QCVN 50 · ↓ low -10")
    }

    @Test func textIsEscaped() throws {
        let svg = Self.chart(
            thresholds: [.init(value: 20, label: "QCVN & \"10\" <x>", kind: "qcvn")], title: "<DO> & \"pH\"",
            unit: "µg/m³ <&>", labels: { _ in "T2 & <1>" })
        let root = try SVGTree.parse(svg)
        #expect(root.elements("title").first?.text == "<DO> & \"pH\"")
        #expect(root.elements(class: "unit").first?.text == "µg/m³ <&>")
        #expect(root.elements(class: "threshold-label").first?.text == "QCVN & \"10\" <x>")
        #expect(root.elements("text").contains { $0.text == "T2 & <1>" })
    }

    @Test func emptyInputGivesThePlaceholder() throws {
        let root = try SVGTree.parse(Self.chart(points: [], title: "Độ mặn"))
        #expect(root["data-points"] == "0")
        #expect(root.classes.contains("empty"))
        #expect(root.elements("polyline").isEmpty)
        #expect(root.elements(class: "no-data").first?.text == "Không có dữ liệu")
        // Points entirely outside the period draw nothing either.
        let outside = [SeriesChart.Point(time: Self.localMidnight - 3 * Self.day, mean: 1, minimum: 1, maximum: 1)]
        #expect(try SVGTree.parse(Self.chart(points: outside)).classes.contains("empty"))
    }

    /// Ticks fall on UTC+7 boundaries: every 3 h over a day, local midnight over a week, days
    /// 1, 6, 11 … over a month, the first of each month over a year.
    @Test(arguments: [
        (day, 9, "3h"), (7 * day, 8, "midnight"), (31 * day, 7, "5 days"), (365 * day, 13, "month"),
    ])
    func timeTicksFallOnLocalBoundaries(span: Int64, count: Int, rule: String) throws {
        var ticks: [Int64] = []
        _ = Self.chart(
            span: span,
            labels: {
                ticks.append($0); return ""
            })
        #expect(ticks.count == count, "\(rule)")
        for tick in ticks {
            let local = tick + 7 * Self.hour
            let date = RFC3339.civil(fromDays: Int(local / Self.day))
            switch rule {
            case "3h": #expect(local % (3 * Self.hour) == 0)
            case "midnight": #expect(local % Self.day == 0)
            case "5 days": #expect(local % Self.day == 0 && [1, 6, 11, 16, 21, 26].contains(date.day))
            default: #expect(local % Self.day == 0 && date.day == 1)
            }
        }
    }
}
