import EnvMonCore
import EnvMonJSON
import EnvMonStore
import EnvMonWeb
import Foundation
import TestSupport
import Testing

@Suite("envmon serve's JSON API, in-process over a real SQLite file")
struct ConsoleAPITests {
    @Test("every site is judged by its worst state: alert, QCVN exceedance, stale, maintenance, unknown")
    func siteStates() async throws {
        let fixture = try ConsoleFixture()
        let states = try await withRunningConsole(try fixture.console()) { client in
            let answer = try await client.get("/api/v1/sites")
            #expect(answer.status == 200)
            let sites = try #require(answer.json as? [[String: Any]])
            return Dictionary(uniqueKeysWithValues: sites.map { ($0["id"] as! String, $0["state"] as! String) })
        }
        #expect(
            states == [
                "cat_ba_town": "alert", "lan_ha": "exceedance", "cat_co": "stale", "ben_beo": "maintenance",
                "gia_luan": "unknown",
            ])
    }

    @Test("every endpoint's answer matches the OpenAPI document it serves")
    func answersMatchOpenAPI() async throws {
        let fixture = try ConsoleFixture()
        let alertID = ConsoleClient.encode(fixture.alertID)
        let checks: [(path: String, schema: String)] = [
            ("/api/v1/sites", ##"{"type":"array","minItems":5,"items":{"$ref":"#/components/schemas/Site"}}"##),
            ("/api/v1/sensors", ##"{"type":"array","minItems":5,"items":{"$ref":"#/components/schemas/Sensor"}}"##),
            (
                "/api/v1/latest?site=lan_ha",
                ##"{"type":"array","minItems":2,"items":{"$ref":"#/components/schemas/Latest"}}"##
            ),
            ("/api/v1/series?sensor=lh-wq-01&metric=do", ##"{"$ref":"#/components/schemas/Series"}"##),
            (
                "/api/v1/series?sensor=lh-wq-01&metric=do&every=raw&from=-1h",
                ##"{"$ref":"#/components/schemas/Series"}"##
            ),
            (
                "/api/v1/series?sensor=lh-wq-01&metric=do&from=-30d&every=1h&agg=max",
                ##"{"$ref":"#/components/schemas/Series"}"##
            ),
            (
                "/api/v1/alerts?active=true",
                ##"{"type":"array","minItems":1,"items":{"$ref":"#/components/schemas/Alert"}}"##
            ),
            ("/api/v1/alerts/\(alertID)", ##"{"$ref":"#/components/schemas/AlertWithHistory"}"##),
            ("/api/v1/aqi", ##"{"type":"array","minItems":1,"items":{"$ref":"#/components/schemas/AirStation"}}"##),
            ("/api/v1/rejects", ##"{"type":"array","minItems":1,"items":{"$ref":"#/components/schemas/Reject"}}"##),
            ("/api/v1/stats", ##"{"$ref":"#/components/schemas/Stats"}"##),
            ("/api/v1/live", ##"{"$ref":"#/components/schemas/Live"}"##),
            ("/api/v1/series?sensor=nobody&metric=do", ##"{"$ref":"#/components/schemas/Error"}"##),
            ("/api/v1/series?sensor=lh-wq-01&metric=do&from=soon", ##"{"$ref":"#/components/schemas/Error"}"##),
        ]
        let (document, cases) = try await withRunningConsole(try fixture.console()) { client in
            let document = try await client.get("/api/v1/openapi.json")
            #expect(document.status == 200)
            var cases: [(name: String, schema: String, instance: String)] = []
            for check in checks {
                let answer = try await client.get(check.path)
                #expect(answer.headers["content-type"]?.hasPrefix("application/json") == true, "\(check.path)")
                cases.append((check.path, check.schema, answer.body))
            }
            return (document.body, cases)
        }
        let problems = try OpenAPIValidator.problems(document: document, cases: cases)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        // The validator is not a rubber stamp: a wrong answer is caught.
        let caught = try OpenAPIValidator.problems(
            document: document,
            cases: [("wrong", ##"{"$ref":"#/components/schemas/Site"}"##, ##"{"id":"x","state":"purple"}"##)])
        #expect(!caught.isEmpty)
    }

    @Test("the API's records carry the CLI's field names: one builder makes both")
    func sameFieldsAsCLI() async throws {
        let fixture = try ConsoleFixture()
        let answer = try await withRunningConsole(try fixture.console()) { client in
            try await client.get("/api/v1/latest?sensor=lh-wq-01")
        }
        let latest = try #require(answer.json as? [[String: Any]])
        let stored = try Store.open(.sqlite(path: fixture.path), for: .read).readings
            .latest(sensor: "lh-wq-01")
        let cli = stored.map {
            RecordJSON.latest($0, unit: fixture.configuration.catalogue.definition(named: $0.series.metric)?.unit)
        }
        #expect(latest.count == cli.count)
        for (api, expected) in zip(latest, cli) {
            #expect(Set(api.keys) == Set(expected.keys))
            #expect(api["metric"] as? String == { if case .string(let m) = expected["metric"] { m } else { nil } }())
        }
    }

    @Test("bad input: 404 with a JSON error for unknown sites and sensors, 400 naming the parameter")
    func badInput() async throws {
        let fixture = try ConsoleFixture()
        try await withRunningConsole(try fixture.console()) { client in
            func error(_ path: String) async throws -> (Int, [String: Any]) {
                let answer = try await client.get(path)
                return (answer.status, try #require(answer.json as? [String: Any], "\(path): \(answer.body)"))
            }
            var (status, body) = try await error("/api/v1/latest?site=hai_phong")
            #expect(status == 404 && (body["error"] as? String)?.contains("hai_phong") == true)
            (status, body) = try await error("/api/v1/latest?sensor=ghost-01")
            #expect(status == 404 && (body["error"] as? String)?.contains("ghost-01") == true)
            (status, body) = try await error("/api/v1/series?sensor=lh-wq-01&metric=do&from=2026-13-45")
            #expect(status == 400 && body["parameter"] as? String == "from")
            (status, body) = try await error("/api/v1/series?sensor=lh-wq-01&metric=do&from=now&to=-1h")
            #expect(status == 400 && body["parameter"] as? String == "from")
            (status, body) = try await error("/api/v1/series?metric=do")
            #expect(status == 400 && body["parameter"] as? String == "sensor")
            (status, body) = try await error("/api/v1/series?sensor=lh-wq-01&metric=do&frm=-1h")
            #expect(status == 400 && body["parameter"] as? String == "frm")
            (status, body) = try await error("/api/v1/series?sensor=lh-wq-01&metric=do&from=-365d&every=1m")
            #expect(status == 400 && body["parameter"] as? String == "every")
            (status, body) = try await error("/api/v1/alerts?limit=-3")
            #expect(status == 400 && body["parameter"] as? String == "limit")
            (status, body) = try await error("/api/v1/alerts/nothing:here:1")
            #expect(status == 404)
            (status, body) = try await error("/api/v1/nowhere")
            #expect(status == 404)
        }
    }

    @Test("a ten-year range is served from the daily roll-up, bounded")
    func hugeRange() async throws {
        let fixture = try ConsoleFixture()
        let answer = try await withRunningConsole(try fixture.console()) { client in
            try await client.get("/api/v1/series?sensor=lh-wq-01&metric=do&from=-3650d")
        }
        let series = try #require(answer.json as? [String: Any])
        #expect(series["every"] as? String == "1d")
        let points = try #require(series["points"] as? [[String: Any]])
        #expect(!points.isEmpty && points.count <= 10_000)
        #expect(series["truncated"] as? Bool == false)
    }

    @Test("raw readings are bounded by limit and say they were cut")
    func rawLimit() async throws {
        let fixture = try ConsoleFixture()
        let answer = try await withRunningConsole(try fixture.console()) { client in
            try await client.get("/api/v1/series?sensor=lh-wq-01&metric=do&every=raw&from=-2h&limit=10")
        }
        let series = try #require(answer.json as? [String: Any])
        #expect((series["points"] as? [Any])?.count == 10)
        #expect(series["truncated"] as? Bool == true)
    }

    @Test("a missing database and a foreign SQLite file are refused at start, and nothing is created")
    func refusesWrongDatabase() throws {
        let directory = try TemporaryDirectory(prefix: "envmon-web-db")
        let missing = directory.file("missing.db")
        #expect {
            _ = try ConsoleStore(location: .sqlite(path: missing))
        } throws: { "\($0)".contains("no such database") }
        #expect(!FileManager.default.fileExists(atPath: missing))
        #expect(!FileManager.default.fileExists(atPath: missing + "-wal"))
        let foreign = directory.file("foreign.db")
        let before = try ForeignSQLiteFile.make(at: foreign)
        #expect {
            _ = try ConsoleStore(location: .sqlite(path: foreign))
        } throws: { "\($0)".contains("without the EnvMon application id") }
        #expect(try Data(contentsOf: URL(fileURLWithPath: foreign)) == before)
    }
}
