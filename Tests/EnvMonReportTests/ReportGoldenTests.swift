import EnvMonConfig
import EnvMonCore
import EnvMonReport
import Foundation
import TestSupport
import Testing

/// Every edition of the fixture's report, byte for byte, against the files in Golden/. They pin
/// the words and the layout together, so moving either (e.g. the wording into `ReportWords`)
/// cannot change a report unnoticed. After a deliberate change, rewrite them with
/// `ENVMON_GOLDEN_WRITE=Tests/EnvMonReportTests/Golden swift test --skip-build --filter ReportGoldenTests`
/// and read the diff; any other directory receives the outputs for comparing by hand.
@Suite("report editions match the golden files")
struct ReportGoldenTests {
    static let directory = Repository.path("Tests/EnvMonReportTests/Golden")

    @Test("the fixture's report in every language and format, and the variants' Markdown")
    func editionsMatch() throws {
        var outputs: [(name: String, text: String)] = []
        for variant in try Self.variants() {
            for language in ReportLanguage.allCases {
                let composed = ReportComposer(document: variant.document, language: language).compose()
                outputs.append(("\(variant.name).\(language.rawValue).md", MarkdownRenderer.render(composed)))
                if variant.allFormats {
                    outputs.append(
                        (
                            "\(variant.name).\(language.rawValue).html",
                            HTMLRenderer.render(composed, document: variant.document)
                        ))
                }
            }
            if variant.allFormats { outputs.append(("\(variant.name).json", JSONRenderer.render(variant.document))) }
        }
        if let target = ProcessInfo.processInfo.environment["ENVMON_GOLDEN_WRITE"] {
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
            for output in outputs {
                try Data(output.text.utf8).write(to: URL(fileURLWithPath: target).appendingPathComponent(output.name))
            }
            return
        }
        for output in outputs {
            let expected = try Data(
                contentsOf: URL(fileURLWithPath: Self.directory).appendingPathComponent(output.name))
            #expect(Self.firstDifference(output.text, expected) == nil, "Golden/\(output.name)")
        }
    }

    /// "line N: …" of the first line that differs, or nil when the bytes are equal. Bytes, not
    /// `String ==`, which would call two Unicode normalizations of a word equal.
    static func firstDifference(_ text: String, _ expected: Data) -> String? {
        guard Array(text.utf8) != Array(expected) else { return nil }
        let actualLines = Array(text.utf8).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let expectedLines = Array(expected).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for index in 0..<max(actualLines.count, expectedLines.count) {
            let actual = index < actualLines.count ? String(decoding: actualLines[index], as: UTF8.self) : "(end)"
            let wanted = index < expectedLines.count ? String(decoding: expectedLines[index], as: UTF8.self) : "(end)"
            if index >= actualLines.count || index >= expectedLines.count || actualLines[index] != expectedLines[index]
            {
                return "line \(index + 1): got \(actual.prefix(300)), expected \(wanted.prefix(300))"
            }
        }
        return "same lines, different bytes"
    }

    struct Variant {
        var name: String
        var document: ReportDocument
        var allFormats: Bool
    }

    static func variants() throws -> [Variant] {
        let fixture = try ReportFixture()
        let indicators = try IndicatorCatalogue.load(path: Repository.path("Config/indicators.toml"))
        let full = try fixture.document(indicators: indicators)
        var bare = try fixture.document(alerts: false)
        bare.period = .month(2026, 11)
        return [
            Variant(name: "fixture", document: full, allFormats: true),
            Variant(name: "bare-month", document: bare, allFormats: false),
            Variant(name: "quiet-year", document: quietYear(full), allFormats: false),
            Variant(name: "every-wording", document: everyWording(full), allFormats: false),
        ]
    }

    /// A year with nothing to say: no exceedances, stations, charts or findings, alerts without
    /// breakdowns, no indicator with a target.
    static func quietYear(_ full: ReportDocument) -> ReportDocument {
        var document = full
        document.period = .year(2026)
        document.exceedances = []
        document.airQuality = []
        document.charts = []
        document.findings = []
        document.indicators = full.indicators.filter { $0.current.target == nil }
        if var alerts = document.alerts {
            alerts.raisedBySeverity = [:]
            alerts.raisedBySite = [:]
            alerts.medianSecondsToAcknowledge = nil
            alerts.medianSecondsToResolve = nil
            document.alerts = alerts
        }
        return document
    }

    /// The fixture with what its readings do not produce, so each wording of the composer appears
    /// at least once: every finding, every site kind, reference column and chart statistic,
    /// catch-up and maintenance notes, a quarter, a dateline in February, short and long durations.
    static func everyWording(_ full: ReportDocument) -> ReportDocument {
        var document = full
        document.period = .quarter(2026, 4)
        document.generatedAt = ReportPeriod.localMidnight(year: 2027, month: 2, day: 3)
        document.number = "15/BC-UBND"
        document.signer = "Nguyễn Văn A"
        document.indicatorSource = "Config/indicators.toml"
        document.network.sensors[0].catchUpReadings = 12
        document.network.sensors[0].maintenance = 3
        document.network.sensors[1].sequenceMissing = 1_234
        let kinds: [SiteSettings.Kind] = [.port, .coast, .island]
        for (index, kind) in kinds.enumerated() {
            var site = document.network.sites[0]
            site.site = "extra-\(index)"
            site.name = "Điểm \(kind.rawValue)"
            site.kind = kind
            document.network.sites.append(site)
        }
        if var alerts = document.alerts {
            alerts.raisedBySeverity["info"] = 2
            alerts.raisedBySeverity["notice"] = 1
            alerts.medianSecondsToAcknowledge = 42
            alerts.medianSecondsToResolve = 3 * 86_400 + 7_200
            document.alerts = alerts
        }
        // The "other places" column of QCVN 10-MT:2015, with no worst value.
        if var exceedance = document.exceedances.first {
            exceedance.reference = QCVNReferences.references(metric: "nh4", siteKind: .port)[0]
            exceedance.worst = nil
            document.exceedances.append(exceedance)
        }
        let statistics: [ReportDocument.SeriesChart.Statistic] = [.dailyMean, .dailyMaxHourly]
        for statistic in statistics {
            guard var chart = document.charts.first else { break }
            chart.statistic = statistic
            document.charts.append(chart)
        }
        // Not met, with a previous figure, in a group the catalogue does not name.
        let previous = IndicatorEntry(
            id: "extra", group: "extra-group", nameVietnamese: "Chỉ số thêm", nameEnglish: "Extra indicator",
            unit: "người", unitEnglish: "people", value: 12, target: 20, period: .year(2025), section: "I.9")
        var current = previous
        current.value = 15
        current.qualifier = .nearly
        current.targetComparison = .above
        current.period = .year(2026)
        document.indicators.append(IndicatorStatus(current: current, previous: previous))
        document.findings = [
            .silentSensor(sensor: "wq-b", site: "beach"),
            .poorCompleteness(sensor: "wq-c", site: "beach", completeness: 0.5),
            .highQCFailure(sensor: "wq-a", failShare: 0.125),
            .frequentExceedance(site: "cage", metric: "do", exceeded: 10, evaluated: 40, averaging: .hour),
            .frequentExceedance(site: "town", metric: "pm25", exceeded: 1, evaluated: 1, averaging: .day),
            .poorAirQualityDays(sensor: "air-1", site: "town", days: 2, worst: 110),
            .slowAcknowledgement(medianSeconds: 5_400),
            .unacknowledgedAlerts(count: 1),
            .indicatorNotMet(id: "extra"),
            .indicatorNotMet(id: "unknown-indicator"),
            .unconfiguredSensors(sensors: ["stray-1", "stray-2"]),
        ]
        return document
    }
}
