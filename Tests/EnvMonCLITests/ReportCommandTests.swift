import ArgumentParser
import EnvMonCLI
import EnvMonCore
import EnvMonStore
import Foundation
import TestSupport
import Testing

@Suite("envmon report, run in-process")
struct ReportCommandTests {
    static let config = """
        config_version = 1
        [[sites]]
        id = "cage"
        name = "Lồng bè"
        kind = "aquaculture"
        [[sensors]]
        id = "wq-a"
        site = "cage"
        metrics = ["do"]
        interval = "1h"
        """

    static let indicators = """
        version = 1
        [[groups]]
        id = "government"
        name_vi = "Chính quyền số"
        name_en = "Digital government"
        [[indicators]]
        id = "tasks"
        group = "government"
        name_vi = "Nhiệm vụ"
        name_en = "Tasks"
        unit = "nhiệm vụ"
        value = 4
        period = "2025"
        section = "I.3"
        """

    /// A config, an indicators file and a database with one DO reading an hour in November 2026.
    static func fixture() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory(prefix: "envmon-report-cli")
        try directory.write("envmon.toml", config)
        try directory.write("indicators.toml", indicators)
        let writer = try Store.open(.sqlite(path: directory.file("envmon.db")), for: .ingest).makeReadingWriter()
        let start = RFC3339.parse("2026-11-01T00:00:00+07:00")!
        let readings = (0..<(30 * 24)).map { hour in
            Reading(
                series: SeriesKey(sensor: "wq-a", metric: "do"),
                timestamp: start.adding(milliseconds: Int64(hour) * 3_600_000),
                value: hour % 24 < 3 ? 4.2 : 6.0, quality: .pass)
        }
        _ = try writer.write(IngestBatch(readings: readings, sites: ["wq-a": "cage"]))
        return directory
    }

    static func run(_ arguments: [String]) throws -> (output: String, exitCode: Int32) {
        try CLIRunner.run(arguments)
    }

    @Test("a month as JSON; the indicators file beside the config is found")
    func month() throws {
        let directory = try Self.fixture()
        let (output, code) = try Self.run([
            "report", "--period", "2026-11", "--db", directory.file("envmon.db"), "--config",
            directory.file("envmon.toml"),
            "--format", "json", "--now", "2026-12-01T06:00:00+07:00",
        ])
        #expect(code == 0, "\(output)")
        #expect(output.contains("\"label\": \"2026-11\""))
        // 3 hours a day under 5 mg/L, 30 days.
        #expect(output.contains("\"exceeded\": 90"))
        #expect(output.contains("\"received\": 720"))
        #expect(output.contains("\"id\": \"tasks\""))
    }

    @Test("last-month for the timer writes DIR/envmon-report-<period>.<lang>.<format>")
    func lastMonthToDirectory() throws {
        let directory = try Self.fixture()
        let reports = directory.file("reports")
        let (output, code) = try Self.run([
            "report", "--period", "last-month", "--db", directory.file("envmon.db"), "--config",
            directory.file("envmon.toml"), "--lang", "en", "--format", "html", "--out-dir", reports, "--now",
            "2026-12-01T06:00:00+07:00",
        ])
        #expect(code == 0, "\(output)")
        let path = reports + "/envmon-report-2026-11.en.html"
        #expect(output == path + "\n")
        let html = try String(contentsOfFile: path, encoding: .utf8)
        #expect(html.contains("November 2026") && html.contains("<svg"))
        #expect(!FileManager.default.fileExists(atPath: path + ".tmp"))
    }

    @Test("bad input exits 2 with the problem named")
    func badInput() throws {
        let directory = try Self.fixture()
        let common = ["--db", directory.file("envmon.db"), "--config", directory.file("envmon.toml")]
        #expect(try Self.run(["report", "--period", "2026-13"] + common).exitCode == 2)
        try directory.write("broken.toml", Self.indicators.replacingOccurrences(of: "value = 4", with: "value = \"4\""))
        let broken = try Self.run(
            ["report", "--period", "2026-11", "--indicators", directory.file("broken.toml")] + common)
        #expect(broken.exitCode == 2)
        #expect(broken.output.contains("indicators[0].value: must be a number, found a string"))
        #expect(throws: (any Error).self) {
            _ = try Self.run(["report", "--period", "2026-11", "--from", "2026-11-01", "--to", "2026-11-02"] + common)
        }
        #expect(throws: (any Error).self) {
            _ = try Self.run(["report", "--period", "2026-11", "--lang", "fr"] + common)
        }
    }
}
