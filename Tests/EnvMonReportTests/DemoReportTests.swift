import EnvMonConfig
import EnvMonCore
import EnvMonReport
import EnvMonStore
import Foundation
import TestSupport
import Testing

/// The demo of the README: the Cát Hải network's November 2026. With `ENVMON_DEMO_DB=PATH` the
/// whole month is written there (scripts/render-report.sh does this); otherwise two days go to a
/// temporary file and every edition is rendered from them.
@Suite("demo network report")
struct DemoReportTests {
    @Test("the shipped config and indicators give a full report in every edition")
    func demoReport() throws {
        let configuration = try EnvMonConfiguration.load(path: Repository.path("Config/envmon.toml"))
        let indicators = try IndicatorCatalogue.load(path: Repository.path("Config/indicators.toml"))
        let environment = ProcessInfo.processInfo.environment
        let directory = try TemporaryDirectory(prefix: "envmon-demo")
        let path = environment["ENVMON_DEMO_DB"] ?? directory.file("demo.db")
        let days = environment["ENVMON_DEMO_DB"] == nil ? 1 : 30
        try? FileManager.default.removeItem(atPath: path)
        let start = ReportPeriod.localMidnight(year: 2026, month: 11, day: 1)
        try DemoNetwork(configuration: configuration).write(to: path, from: start, days: days)

        let queries = ReadingQueries(database: try StoreDatabase.openForReading(path: path))
        let builder = ReportBuilder(configuration: configuration, queries: queries, indicators: indicators)
        let period = ReportPeriod.month(2026, 11)
        let document = try builder.build(period: period, now: start.adding(milliseconds: Int64(days) * 86_400_000))
        #expect(document.network.sensorsConfigured == configuration.sensors.count)
        #expect(document.network.silentSensors == ["lhp-tide-01"])
        #expect(document.airQuality.count == 4)
        #expect(document.airQuality.allSatisfy { $0.days.count == days })
        #expect(document.findings.contains(.silentSensor(sensor: "lhp-tide-01", site: "lach_huyen")))
        for language in ReportLanguage.allCases {
            let composed = ReportComposer(document: document, language: language, catalogue: configuration.catalogue)
                .compose()
            #expect(!MarkdownRenderer.render(composed).isEmpty)
            #expect(HTMLRenderer.render(composed, document: document).contains("<svg"))
        }
        #expect(JSONRenderer.render(document).contains("\"format_version\": 1"))
    }
}
