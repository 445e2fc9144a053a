import ArgumentParser
import EnvMonConfig
import EnvMonCore
import EnvMonReport
import EnvMonSimulation
import EnvMonStore
import TestSupport
import Testing

/// The demo of the README: the Cát Hải network's November 2026 as `envmon-sim fill` stores it
/// with the demo scenario (scripts/render-report.sh fills the month; here its first three hours).
@Suite("demo report: a simulated day of the shipped network")
struct DemoReportTests {
    @Test("fill with the demo scenario, then the shipped config and indicators give a full report in every edition")
    func demoReport() throws {
        let root = SimulatorFixtures.root.path
        let directory = try TemporaryDirectory(prefix: "envmon-demo")
        let path = directory.file("demo.db")
        var fill = try EnvMonSimCommand.parseAsRoot([
            "fill", "--config", SimulatorFixtures.configPath, "--scenario",
            root + "/Simulator/scenarios/demo-month.json",
            "--seed", "2026", "--start", "2026-11-01T00:00:00+07:00", "--span", "3h", "--db", path,
        ])
        try fill.run()

        let configuration = try SimulatorFixtures.configuration()
        let indicators = try IndicatorCatalogue.load(path: root + "/Config/indicators.toml")
        let queries = try Store.open(.sqlite(path: path), for: .read).readings
        let builder = ReportBuilder(configuration: configuration, queries: queries, indicators: indicators)
        let start = ReportPeriod.localMidnight(year: 2026, month: 11, day: 1)
        let document = try builder.build(
            period: ReportPeriod.month(2026, 11), now: start.adding(milliseconds: 86_400_000))
        #expect(document.network.sensorsConfigured == configuration.sensors.count)
        #expect(document.network.silentSensors == ["lhp-tide-01"])
        #expect(document.airQuality.count == 4)
        #expect(document.airQuality.allSatisfy { $0.days.count == 1 })
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
