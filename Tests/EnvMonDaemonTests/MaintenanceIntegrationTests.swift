import EnvMonCore
import EnvMonStore
import Foundation
import MQTT
import TestSupport
import Testing

@Suite("maintenance windows with the real daemon, broker and CLI", .serialized)
struct MaintenanceIntegrationTests {
    /// A sensor that reports its own status in a JSON member.
    static let selfReporting = """
        [[sensors]]
        id = "lh-wq-09"
        site = "lan_ha"
        metrics = ["do", "ph"]
        status_field = "status"
        """

    static func config() throws -> String {
        try DaemonHarness.configText(extra: AlertIntegrationTests.doLowRule + "\n\n" + selfReporting)
    }

    static func raisedLines(_ stderr: String, sensor: String) -> [Substring] {
        stderr.split(separator: "\n").filter { $0.contains("raised do_low_test") && $0.contains(sensor) }
    }

    @Test("calibration: readings stored as 01, no alert while the window is open, the journal says start and end")
    func calibrationWindow() async throws {
        let broker = try await MosquittoBroker()
        let daemon = try DaemonHarness(broker: broker, configText: try Self.config())
        let journal = try NotifySocket(directory: daemon.directory, name: "journal.sock")
        let envmond = try await InProcessDaemon(harness: daemon, journalSocket: journal.path)
        let publisher = try makePublisher(url: broker.url)
        defer { publisher.stop() }
        try await waitUntil("publisher connected", timeout: .seconds(10)) { publisher.isConnected }

        let started = try await daemon.cli([
            "maintenance", "start", "lh-wq-01", "--status", "calibrating", "--by", "Lan", "--note", "pH 7.00 buffer",
        ])
        #expect(started.succeeded, "\(started)")
        #expect(started.stdout.contains("maintenance window 1 on lh-wq-01: calibrating"), "\(started.stdout)")

        // Overlapping, unknown sensor, unknown metric: refused by the daemon with the reason.
        let overlap = try await daemon.cli(["maintenance", "start", "lh-wq-01", "--metric", "do", "--status", "fault"])
        #expect(!overlap.succeeded)
        #expect(overlap.stderr.contains("lh-wq-01/do already has maintenance window 1"), "\(overlap.stderr)")
        let unknown = try await daemon.cli(["maintenance", "start", "no-such", "--status", "maintenance"])
        #expect(!unknown.succeeded && unknown.stderr.contains("unknown sensor \"no-such\""), "\(unknown.stderr)")
        let badMetric = try await daemon.cli([
            "maintenance", "start", "lh-do-02", "--metric", "pm25", "--status", "fault",
        ])
        #expect(!badMetric.succeeded && badMetric.stderr.contains("has no metric \"pm25\""), "\(badMetric.stderr)")
        let badStatus = try await daemon.cli(["maintenance", "start", "lh-do-02", "--status", "broken"])
        #expect(badStatus.exitStatus == 2 && badStatus.stderr.contains("use calibrating, maintenance or fault"))

        try await waitUntil("start announced", timeout: .seconds(10)) {
            envmond.log.text.contains("maintenance started on lh-wq-01 (calibrating, status 01)")
        }
        // A low DO in the window, then the same on a sensor outside it: once the second has
        // raised after its 1 s `for`, the first had as long and did not.
        _ = try publisher.publish(topic: "cathai/lan_ha/lh-wq-01/do", text: "4.0", qos: 1)
        _ = try publisher.publish(topic: "cathai/lan_ha/lh-do-02/do", text: "4.0", qos: 1)
        try await waitUntil("control raised", timeout: .seconds(10)) {
            !Self.raisedLines(envmond.log.text, sensor: "lh-do-02").isEmpty
        }
        #expect(Self.raisedLines(envmond.log.text, sensor: "lh-wq-01").isEmpty)

        let query = try await daemon.cli([
            "query", "--sensor", "lh-wq-01", "--metric", "do", "--from", "-1h", "--format", "json",
        ])
        #expect(query.stdout.contains("\"device_status\":\"calibrating\""), "\(query)")
        #expect(query.stdout.contains("\"quality\":2"), "not evaluated by QC: \(query.stdout)")
        let hourly = try await daemon.cli([
            "query", "--sensor", "lh-wq-01", "--metric", "do", "--from", "-1h", "--every", "1h", "--format", "json",
        ])
        #expect(!hourly.stdout.contains("\"value\":4"), "kept out of the roll-ups: \(hourly)")

        let ended = try await daemon.cli(["maintenance", "end", "lh-wq-01", "--by", "Lan"])
        #expect(ended.succeeded && ended.stdout.contains("maintenance window 1 on lh-wq-01 ended"), "\(ended)")
        let again = try await daemon.cli(["maintenance", "end", "lh-wq-01"])
        #expect(!again.succeeded && again.stderr.contains("lh-wq-01 has no open maintenance window"))
        try await waitUntil("end announced", timeout: .seconds(10)) {
            envmond.log.text.contains("maintenance ended on lh-wq-01 (calibrating)")
        }
        // Judged again after the window: the next low reading raises.
        _ = try publisher.publish(topic: "cathai/lan_ha/lh-wq-01/do", text: "4.1", qos: 1)
        try await waitUntil("raised after the window", timeout: .seconds(10)) {
            !Self.raisedLines(envmond.log.text, sensor: "lh-wq-01").isEmpty
        }

        let list = try await daemon.cli(["maintenance", "list", "--since", "-1h", "--format", "json"])
        #expect(list.stdout.contains("\"by\":\"Lan\"") && list.stdout.contains("\"open\":false"), "\(list.stdout)")
        #expect(list.stdout.contains("\"device_status\":\"01\"") && list.stdout.contains("\"note\":\"pH 7.00 buffer\""))

        let fields = journal.drain()
        #expect(fields.contains("ENVMON_MAINTENANCE=started") && fields.contains("ENVMON_MAINTENANCE=ended"))
        #expect(fields.contains("ENVMON_STATUS=calibrating"))
        try await envmond.stop()
    }

    @Test(
        "a window survives a restart: still open, not announced twice, readings still marked; a device's own status counts"
    )
    func restartAndDeviceStatus() async throws {
        let broker = try await MosquittoBroker()
        let daemon = try DaemonHarness(broker: broker, configText: try Self.config())
        let first = try await InProcessDaemon(harness: daemon)
        let publisher = try makePublisher(url: broker.url)
        defer { publisher.stop() }
        try await waitUntil("publisher connected", timeout: .seconds(10)) { publisher.isConnected }

        let started = try await daemon.cli(["maintenance", "start", "bb-wq-01", "--status", "fault", "--for", "1h"])
        #expect(started.succeeded, "\(started)")
        try await waitUntil("start announced", timeout: .seconds(10)) {
            first.log.contains("maintenance started on bb-wq-01 (fault, status 02)")
        }
        try await first.stop()
        let envmond = try await InProcessDaemon(harness: daemon)
        // Device-reported status: calibrating, then measuring again.
        _ = try publisher.publish(topic: "cathai/lan_ha/lh-wq-09", text: #"{"do": 4.0, "status": "01"}"#, qos: 1)
        _ = try publisher.publish(topic: "cathai/ben_beo/bb-wq-01/do", text: "6.5", qos: 1)
        try await waitUntil("both stored", timeout: .seconds(10)) {
            let queries = try? daemon.queries()
            return (try? queries?.latest(sensor: "lh-wq-09").isEmpty == false) == true
                && (try? queries?.latest(sensor: "bb-wq-01").isEmpty == false) == true
        }
        _ = try publisher.publish(topic: "cathai/lan_ha/lh-wq-09", text: #"{"do": 4.2, "status": 0}"#, qos: 1)
        try await waitUntil("device back to measuring raised", timeout: .seconds(10)) {
            !Self.raisedLines(envmond.log.text, sensor: "lh-wq-09").isEmpty
        }
        let stderr = envmond.log.text
        #expect(!stderr.contains("maintenance started on bb-wq-01"), "announced once, before the restart: \(stderr)")
        let raised = Self.raisedLines(stderr, sensor: "lh-wq-09")
        #expect(raised.count == 1 && raised[0].contains("4.2"), "the calibrating 4.0 raised nothing: \(raised)")

        let faulty = try await daemon.cli(["export", "--sensor", "bb-wq-01", "--from", "-1h", "--format", "csv"])
        #expect(faulty.stdout.contains(",device_error\n"), "\(faulty.stdout)")
        let device = try await daemon.cli(["export", "--sensor", "lh-wq-09", "--from", "-1h", "--format", "csv"])
        #expect(device.stdout.contains(",calibrating\n") && device.stdout.contains(",measuring\n"), "\(device.stdout)")
        let list = try await daemon.cli(["maintenance", "list", "--format", "json"])
        #expect(list.stdout.contains("\"sensor\":\"bb-wq-01\"") && list.stdout.contains("\"open\":true"))
        try await envmond.stop()
    }
}
