import EnvMonConfig
import EnvMonCore
import EnvMonStore
import Logging
import TestSupport
import Testing

@testable import EnvMonDaemon

@Suite("webhook filters: severity, site and notice decide what goes into the outbox")
struct WebhookQueueTests {
    static func transition(
        _ notice: AlertNotice, severity: AlertSeverity, site: String, at minute: Int64
    ) -> AlertTransition {
        AlertTransition(
            alertID: "do_low:lh-wq-01:1", ruleID: "do_low", kind: .below, sensor: "lh-wq-01", site: site,
            metric: "do", from: .inactive, to: .firing, notice: notice, severity: severity, value: 4.2,
            threshold: 5, basis: "QCVN", at: Timestamp(milliseconds: 1_795_921_200_000 + minute * 60_000))
    }

    @Test("a critical-only relay for lan_ha gets only critical lan_ha notices; a default one gets every notification")
    func filters() throws {
        let directory = try TemporaryDirectory(prefix: "envmon-webhooks")
        let outbox = try Store.open(.sqlite(path: directory.file("envmon.db")), for: .ingest).outbox
        let configuration = try EnvMonConfiguration.parse(
            """
            [[sites]]
            id = "lan_ha"
            name = "Lan Hạ"
            kind = "aquaculture"
            lat = 20.77
            lon = 107.07

            [[webhooks]]
            id = "zalo"
            url = "http://127.0.0.1:9/zalo"
            severities = ["critical"]
            sites = ["lan_ha"]
            template = '{"text": "{{text}}"}'

            [[webhooks]]
            id = "all"
            url = "http://127.0.0.1:9/all"
            """, source: "test.toml")
        let queue = WebhookQueue(
            webhooks: configuration.webhooks, outbox: outbox, logger: Logger(label: "test"), wake: { _ in })
        let cases: [(AlertTransition, String)] = [
            (Self.transition(.raised, severity: .critical, site: "lan_ha", at: 0), "critical lan_ha"),
            (Self.transition(.raised, severity: .warning, site: "lan_ha", at: 1), "warning lan_ha"),
            (Self.transition(.raised, severity: .critical, site: "cat_co", at: 2), "critical cat_co"),
            (Self.transition(.deescalated, severity: .critical, site: "lan_ha", at: 3), "deescalated"),
        ]
        queue.enqueue(
            cases.map { ($0.0, ["text": $0.1], #"{"case": "\#($0.1)"}"#) },
            at: Timestamp(milliseconds: 1_795_921_200_000))
        func bodies(_ target: String) throws -> [String] {
            var result: [String] = []
            while let entry = try outbox.next(target: target) {
                result.append(String(decoding: entry.body, as: UTF8.self))
                try outbox.markSent(entry.id, at: Timestamp(milliseconds: 0))
            }
            return result
        }
        #expect(try bodies("zalo") == [#"{"text": "critical lan_ha"}"#])
        // The default notices leave out de-escalations; every severity and site passes.
        #expect(
            try bodies("all") == [
                #"{"case": "critical lan_ha"}"#, #"{"case": "warning lan_ha"}"#, #"{"case": "critical cat_co"}"#,
            ])
    }
}
