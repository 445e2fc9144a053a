import ArgumentParser
import EnvMonCLI
import EnvMonCore
import EnvMonStore
import Foundation
import TestSupport
import Testing

@Suite("envmon CLI, run in-process against a real SQLite file")
struct CLITests {
    /// A database with two series of known readings and one reject.
    static func fixture() throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory(prefix: "envmon-cli")
        let path = directory.file("envmon.db")
        let writer = try Store.open(.sqlite(path: path), for: .ingest).makeReadingWriter()
        let start = RFC3339.parse("2026-11-29T03:00:00Z")!
        var readings: [Reading] = []
        for minute in 0..<120 {
            let time = start.adding(milliseconds: Int64(minute) * 60_000)
            readings.append(
                Reading(
                    series: SeriesKey(sensor: "lh-wq-01", metric: "do"), timestamp: time,
                    value: 6 + Double(minute % 10) / 10,
                    quality: .pass))
        }
        readings.append(
            Reading(
                series: SeriesKey(sensor: "cc-wq-01", metric: "water_temp"), timestamp: start, value: 36.5,
                quality: .suspect, flaggedBy: .grossRange))
        _ = try writer.write(
            IngestBatch(
                readings: readings,
                rejects: [
                    RejectRecord(
                        receivedAt: start, topic: "cathai/lan_ha/lh-wq-01/do", reason: .undecodable,
                        detail: "payload \"abc\" is not a number", payload: Array("abc".utf8))
                ], sites: ["lh-wq-01": "lan_ha", "cc-wq-01": "cat_co"]))
        return (directory, path)
    }

    static func run(_ arguments: [String]) throws -> (output: String, exitCode: Int32) {
        try CLIRunner.run(arguments)
    }

    @Test("query: raw rows and hourly aggregates from the roll-ups, in every format")
    func query() throws {
        let (directory, path) = try Self.fixture()
        _ = directory
        let raw = try Self.run([
            "query", "--db", path, "--sensor", "lh-wq-01", "--metric", "do", "--from", "2026-11-29T03:00:00Z", "--to",
            "2026-11-29T03:03:00Z", "--format", "json",
        ])
        #expect(raw.exitCode == 0)
        #expect(
            raw.output == """
                [{"device_status":"measuring","flagged_by":[],"quality":1,"time_source":"device","ts":"2026-11-29T03:00:00Z","value":6},
                 {"device_status":"measuring","flagged_by":[],"quality":1,"time_source":"device","ts":"2026-11-29T03:01:00Z","value":6.1},
                 {"device_status":"measuring","flagged_by":[],"quality":1,"time_source":"device","ts":"2026-11-29T03:02:00Z","value":6.2}]

                """)
        let hourly = try Self.run([
            "query", "--db", path, "--sensor", "lh-wq-01", "--metric", "do", "--from", "2026-11-29", "--to",
            "2026-11-30", "--every", "1h", "--agg", "max", "--format", "csv",
        ])
        #expect(
            hourly.output == "TIME (UTC+7),MAX (mg/L),COUNT\n2026-11-29 10:00:00,6.9,60\n2026-11-29 11:00:00,6.9,60\n")
        let table = try Self.run(["latest", "--db", path, "--site", "cat_co"])
        #expect(table.output.contains("cat_co  cc-wq-01  water_temp  36.5   °C    suspect  2026-11-29 10:00:00"))
    }

    @Test("exit codes: 1 when nothing is found, 2 for bad input")
    func exitCodes() throws {
        let (directory, path) = try Self.fixture()
        _ = directory
        #expect(try Self.run(["latest", "--db", path, "--sensor", "nobody"]).exitCode == 1)
        #expect(try Self.run(["rejects", "--db", path, "--since", "2030-01-01"]).exitCode == 1)
        let badTime = try Self.run(["query", "--db", path, "--sensor", "a", "--metric", "do", "--from", "last tuesday"])
        #expect(badTime.exitCode == 2 && badTime.output.contains("\"last tuesday\" is not a time"))
        let missing = try Self.run(["sensors", "--db", directory.file("nothing.db")])
        #expect(missing.exitCode == 2 && missing.output.contains("no such database"))
        #expect(throws: (any Error).self) {
            var command = try EnvMonCommand.parseAsRoot(["rejects", "--db", path, "--reason", "bogus"])
            try command.validate()
        }
        #expect(throws: (any Error).self) { try EnvMonCommand.parseAsRoot(["query", "--sensor"]) }
    }

    @Test("a foreign file given as --db is refused and left untouched")
    func foreignDatabase() throws {
        let directory = try TemporaryDirectory(prefix: "envmon-cli")
        let path = try directory.write("notes.db", "these are not readings\n")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let result = try Self.run(["stats", "--db", path])
        #expect(result.exitCode == 2 && result.output.contains("not an SQLite database"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test("relative, date and RFC 3339 times")
    func times() throws {
        let now = RFC3339.parse("2026-11-29T12:00:00Z")!
        #expect(try TimeArgument.parse("-24h", now: now) == RFC3339.parse("2026-11-28T12:00:00Z"))
        #expect(try TimeArgument.parse("-7d", now: now) == RFC3339.parse("2026-11-22T12:00:00Z"))
        #expect(try TimeArgument.parse("2026-11-29", now: now) == RFC3339.parse("2026-11-28T17:00:00Z"))
        #expect(try TimeArgument.parse("2026-11-29T10:00:00+07:00", now: now) == RFC3339.parse("2026-11-29T03:00:00Z"))
        #expect(throws: CLIError.self) { try TimeArgument.parse("2026-02-30", now: now) }
    }
}
