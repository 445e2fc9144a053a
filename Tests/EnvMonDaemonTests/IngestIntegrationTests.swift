import EnvMonCore
import EnvMonStore
import Foundation
import MQTT
import TestSupport
import Testing

@Suite("envmond end to end with a real broker and SQLite", .serialized)
struct IngestIntegrationTests {
    @Test("every payload format arrives with the right values, units, times and flags; bad payloads are rejected")
    func everyFormatArrives() async throws {
        let broker = try await MosquittoBroker()
        let daemon = try DaemonHarness(broker: broker, configText: try DaemonHarness.configText())
        try await daemon.start()
        let publisher = try makePublisher(url: broker.url)
        defer { publisher.stop() }
        try await waitUntil("publisher connected", timeout: .seconds(10)) { publisher.isConnected }

        let jsonTime = "2026-11-29T03:00:00Z"
        let now = Int64(Date().timeIntervalSince1970)
        let messages: [(String, String)] = [
            ("cathai/lan_ha/lh-wq-01/water_temp", "24.8"),
            ("cathai/lan_ha/lh-wq-01", "{\"ts\":\"\(jsonTime)\",\"salinity\":30.1,\"do\":6.2}"),
            // SenML with units to convert: Pa → hPa, K → °C; absolute time.
            (
                "cathai/cat_ba_town/cb-wx-01",
                "[{\"bn\":\"cb-wx-01/\",\"bt\":\(now - 60),\"n\":\"pressure\",\"u\":\"Pa\",\"v\":101200},"
                    + "{\"n\":\"air_temp\",\"u\":\"K\",\"v\":295.65,\"t\":1}]"
            ),
            (
                "cathai/cat_ba_town/cb-air-01",
                "air,site=cat_ba_town,sensor=cb-air-01 pm25=31.5,pm10=55 \((now - 30) * 1_000_000_000)"
            ),
            // QC: outside the suspect span, and outside the fail span.
            ("cathai/cat_co/cc-wq-01/water_temp", "36.5"),
            ("cathai/cat_co/cc-wq-01/do", "25"),
            // Rejects of each kind.
            ("cathai/lan_ha/lh-wq-01/do", "abc"),
            ("cathai/lan_ha/lh-wq-01/temprature", "3"),
            ("cathai/lan_ha/lh-wq-01/ph", "nan"),
            ("cathai/lan_ha/lh-wq-01", "{\"ts\":\"2031-01-01T00:00:00Z\",\"salinity\":30}"),
            ("cathai/cat_ba_town/cb-wx-01", "[{\"n\":\"cb-wx-01/pressure\",\"u\":\"m/s\",\"v\":3}]"),
        ]
        for (topic, payload) in messages {
            _ = try publisher.publish(topic: topic, text: payload, qos: 1)
        }
        // 9 readings and 5 rejects.
        try await waitUntil("readings and rejects stored", timeout: .seconds(20)) {
            guard daemon.storedCount(window: 86_400_000 * 10) >= 9, let queries = try? daemon.queries() else {
                return false
            }
            return ((try? queries.rejects().count) ?? 0) >= 5
        }
        let queries = try daemon.queries()
        let latest = Dictionary(
            uniqueKeysWithValues: try queries.latest().map { ("\($0.series.sensor)/\($0.series.metric)", $0) })
        #expect(latest["lh-wq-01/water_temp"]?.value == 24.8)
        #expect(latest["lh-wq-01/salinity"]?.timestamp == RFC3339.parse(jsonTime))
        #expect(latest["lh-wq-01/do"]?.value == 6.2)
        #expect(latest["cb-wx-01/pressure"]?.value == 1012)
        #expect(latest["cb-wx-01/pressure"]?.timestamp == Timestamp(milliseconds: (now - 60) * 1000))
        #expect(abs((latest["cb-wx-01/air_temp"]?.value ?? 0) - 22.5) < 1e-9)
        #expect(latest["cb-wx-01/air_temp"]?.timestamp == Timestamp(milliseconds: (now - 59) * 1000))
        #expect(latest["cb-air-01/pm25"]?.value == 31.5)
        #expect(latest["cb-air-01/pm10"]?.timestamp == Timestamp(milliseconds: (now - 30) * 1000))
        #expect(latest["cb-air-01/pm25"]?.site == "cat_ba_town")
        #expect(latest["cc-wq-01/water_temp"]?.quality == .suspect)
        #expect(latest["cc-wq-01/do"]?.quality == .fail)
        #expect(latest["lh-wq-01/water_temp"]?.quality == .pass)

        let reasons = try queries.rejects().map(\.reason.rawValue).sorted()
        #expect(reasons == ["bad_timestamp", "not_finite", "undecodable", "unit_mismatch", "unknown_metric"])
        #expect(latest.count == 9, "nothing else stored")

        // The CLI shows them in all three formats.
        let json = try await daemon.cli(["latest", "--sensor", "lh-wq-01", "--format", "json"])
        #expect(json.succeeded, "\(json)")
        #expect(
            json.stdout.contains("\"metric\":\"salinity\"") && json.stdout.contains("\"ts\":\"2026-11-29T03:00:00Z\""))
        let csv = try await daemon.cli(["latest", "--sensor", "lh-wq-01", "--format", "csv"])
        #expect(csv.stdout.hasPrefix("SITE,SENSOR,METRIC,VALUE,UNIT,QUALITY,TIME (UTC+7)\n"))
        #expect(csv.stdout.contains("lan_ha,lh-wq-01,salinity,30.1,PSU,pass,2026-11-29 10:00:00"))
        let table = try await daemon.cli(["rejects", "--reason", "unit_mismatch"])
        #expect(table.succeeded && table.stdout.contains("unit_mismatch") && table.stdout.contains("cb-wx-01"))
        let rejectsJSON = try await daemon.cli(["rejects", "--format", "json"])
        #expect(
            rejectsJSON.stdout.contains("\"reason\":\"unknown_metric\"")
                && rejectsJSON.stdout.contains("\"received_at\":"))
        let none = try await daemon.cli(["latest", "--sensor", "no-such-sensor"])
        #expect(none.exitStatus == 1)
        let bad = try await daemon.cli(["query", "--sensor", "lh-wq-01", "--metric", "do", "--from", "yesterday"])
        #expect(bad.exitStatus == 2 && bad.stderr.contains("\"yesterday\" is not a time"))

        // SIGTERM: flush and exit 0 before systemd's TimeoutStopSec (15 s) would kill it; the harness
        // gives it 10 s. (On a quiet machine it takes milliseconds; a bound of 2 s failed once under
        // the whole suite on two cores, 3.3 s, which says nothing about the daemon.)
        let result = try await daemon.terminate()
        #expect(result?.exitStatus == 0 && result?.terminatedBySignal == false, "\(String(describing: result))")
    }

    @Test("a config error exits non-zero naming the key")
    func configErrorNamesKey() async throws {
        let broker = try await MosquittoBroker()
        var text = try DaemonHarness.configText()
        text = text.replacingOccurrences(of: "metrics = [\"pm25\", \"pm10\"]", with: "metrics = [\"pm25\", \"pm1O\"]")
        let daemon = try DaemonHarness(broker: broker, configText: text)
        let result = try await runProcess(
            DaemonHarness.executable("envmond"), ["--config", daemon.configPath, "--db", daemon.databasePath])
        #expect(result.exitStatus == 2)
        #expect(result.stderr.contains("sensors[9].metrics[1]: unknown metric \"pm1O\""), "\(result.stderr)")
    }
}
