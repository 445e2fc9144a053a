import EnvMonCore
import Foundation
import TestSupport
import Testing

@testable import EnvMonStore

/// The alert, maintenance, outbox and AQI stores of both backends driven through the same calls
/// (each through `Store.open` and its role protocol): every answer along the way must be the
/// same, each backend's answers the other's expectations. What the calls must have covered is
/// then checked on both with fixed expectations, so the comparison cannot pass on empty answers.
/// (What differs with several collectors on one PostgreSQL database is in PostgresOnlyTests.)
@Suite("Role stores: SQLite and PostgreSQL driven alike answer alike")
struct RoleStoresEquivalenceTests {
    // MARK: Alerts

    @Test("alert transitions, states, acknowledgement requests and every alert query answer alike")
    func alertsAnswerAlike() async throws {
        try await Self.withBackends { sqlite, postgres in
            let expected = try Self.driveAlerts(sqlite.alerts, sqlite.alertWriter)
            let actual = try Self.driveAlerts(postgres.alerts, postgres.alertWriter)
            Self.expectSame(actual, expected)

            // What the comparison covered, so that it cannot pass on empty answers.
            for store in [sqlite, postgres] {
                let backend = Self.backend(of: store)
                // Raised in the same millisecond: in id order, or for the report in the order
                // stored (do_low's pending transition, logged first, does not count).
                #expect(try store.alerts.alerts().map(\.id) == [Self.doLow, Self.noData, Self.pm25High], "\(backend)")
                #expect(
                    try store.alerts.alerts(raisedFrom: Instants.july1, to: Instants.july1(plusDays: 1)).map(\.id) == [
                        Self.pm25High, Self.doLow, Self.noData,
                    ], "\(backend)")
                let resolved = try store.alerts.alert(id: Self.doLow)
                #expect(resolved?.state == .resolved, "\(backend)")
                #expect(resolved?.acknowledgedBy == "lan", "\(backend)")
                #expect(resolved?.value == 4.3, "\(backend)")
                #expect(try store.alerts.alert(id: Self.pm25High)?.severity == .critical, "\(backend)")
                #expect(
                    try store.alerts.history(of: Self.doLow).map(\.notice) == [
                        .pending, .raised, .acknowledged, .resolved,
                    ], "\(backend)")
                #expect(try store.alertWriter.loadStates().map(\.ruleID) == ["no_data", "pm25_high"], "\(backend)")
                #expect(
                    try store.alertWriter.pendingAcknowledgements().map(\.alertID) == [Self.pm25High], "\(backend)")
            }
        }
    }

    static let doLow = "do_low:lh-wq-01:1751349600000"
    static let pm25High = "pm25_high:cb-air-01:1751349900000"
    static let noData = "no_data:gl-air-01:1751349900000"

    static func transition(
        _ alertID: String, _ rule: String, _ kind: AlertRuleKind, sensor: String, site: String, metric: String,
        _ from: AlertState, _ to: AlertState, _ notice: AlertNotice, _ severity: AlertSeverity, value: Double?,
        threshold: Double, minutes: Int64, raisedMinutes: Int64? = nil
    ) -> AlertTransition {
        AlertTransition(
            alertID: alertID, ruleID: rule, kind: kind, sensor: sensor, site: site, metric: metric, from: from, to: to,
            notice: notice, severity: severity, value: value, threshold: threshold, basis: "QCVN 10-MT:2015/BTNMT",
            at: Instants.july1(hours: 6, minutes: minutes),
            raisedAt: raisedMinutes.map { Instants.july1(hours: 6, minutes: $0) })
    }

    static func state(
        _ rule: String, sensor: String, site: String, metric: String, _ condition: AlertState, alertID: String?,
        severity: AlertSeverity, minutes: Int64
    ) -> AlertStateRecord {
        AlertStateRecord(
            ruleID: rule, sensor: sensor, site: site, metric: metric, condition: condition, alertID: alertID,
            severity: severity, pendingSince: Instants.july1(hours: 6), lastValue: 4.2,
            lastValueAt: Instants.july1(hours: 6, minutes: minutes),
            recentValues: [TimedValue(at: Instants.july1(hours: 6, minutes: minutes), value: 4.2)])
    }

    /// Pending, raised (three in the same millisecond, one without a value), acknowledged through a
    /// request, escalated and resolved; states saved, replaced and removed; requests answered,
    /// one left pending, one for an id that does not exist.
    static func driveAlerts(_ queries: any AlertQueries, _ writer: any AlertWriter) throws -> Observations {
        var seen = Observations()
        func look(_ step: String) throws {
            seen.note("\(step): states", try writer.loadStates())
            seen.note("\(step): all", try queries.alerts())
            seen.note("\(step): active", try queries.alerts(activeOnly: true))
            seen.note("\(step): since", try queries.alerts(since: Instants.july1(hours: 6, minutes: 20)))
            seen.note("\(step): critical", try queries.alerts(severity: .critical))
            seen.note(
                "\(step): limited", try queries.alerts(activeOnly: false, since: nil, severity: nil, limit: 2))
            seen.note("\(step): unlimited", try queries.alerts(activeOnly: false, since: nil, severity: nil, limit: -1))
            seen.note(
                "\(step): raised in",
                try queries.alerts(raisedFrom: Instants.july1(hours: 6), to: Instants.july1(hours: 7)))
            seen.note(
                "\(step): raised before",
                try queries.alerts(raisedFrom: Instants.july1, to: Instants.july1(hours: 6, minutes: 5)))
            for id in [doLow, pm25High, noData, "nothing:here:0"] {
                seen.note("\(step): alert \(id)", try queries.alert(id: id))
                seen.note("\(step): history \(id)", try queries.history(of: id))
            }
            seen.note("\(step): pending acknowledgements", try writer.pendingAcknowledgements())
        }
        let doPendingState = state(
            "do_low", sensor: "lh-wq-01", site: "lan_ha", metric: "do", .pending, alertID: doLow, severity: .warning,
            minutes: 0)
        try writer.record(
            [
                (
                    transition(
                        doLow, "do_low", .below, sensor: "lh-wq-01", site: "lan_ha", metric: "do", .inactive, .pending,
                        .pending, .warning, value: 4.6, threshold: 5, minutes: 0),
                    text: "pending do_low: lh-wq-01 (lan_ha) do 4.6 mg/L below 5 mg/L"
                )
            ], states: [doPendingState], at: Instants.july1(hours: 6))
        try look("pending")

        var doFiring = doPendingState
        doFiring.condition = .firing
        doFiring.raisedAt = Instants.july1(hours: 6, minutes: 5)
        let pmState = state(
            "pm25_high", sensor: "cb-air-01", site: "cat_ba_town", metric: "pm25", .firing, alertID: pm25High,
            severity: .warning, minutes: 5)
        let noDataState = state(
            "no_data", sensor: "gl-air-01", site: "gia_luan", metric: "*", .firing, alertID: noData, severity: .info,
            minutes: 5)
        try writer.record(
            [
                (
                    transition(
                        pm25High, "pm25_high", .above, sensor: "cb-air-01", site: "cat_ba_town", metric: "pm25",
                        .inactive, .firing, .raised, .warning, value: 62, threshold: 50, minutes: 5),
                    text: "raised pm25_high"
                ),
                (
                    transition(
                        doLow, "do_low", .below, sensor: "lh-wq-01", site: "lan_ha", metric: "do", .pending, .firing,
                        .raised, .warning, value: 4.2, threshold: 5, minutes: 5, raisedMinutes: 5),
                    text: "raised do_low"
                ),
                (
                    transition(
                        noData, "no_data", .noData, sensor: "gl-air-01", site: "gia_luan", metric: "*", .inactive,
                        .firing, .raised, .info, value: nil, threshold: 900, minutes: 5),
                    text: "raised no_data: gl-air-01 never reported"
                ),
            ], states: [doFiring, pmState, noDataState], at: Instants.july1(hours: 6, minutes: 5))
        try look("raised")

        let requests = [
            try queries.requestAcknowledgement(
                alertID: doLow, by: "lan", note: "aerator on", at: Instants.july1(hours: 6, minutes: 10)),
            try queries.requestAcknowledgement(
                alertID: pm25High, by: "minh", note: nil, at: Instants.july1(hours: 6, minutes: 11)),
            try queries.requestAcknowledgement(
                alertID: "nothing:here:0", by: "lan", note: nil, at: Instants.july1(hours: 6, minutes: 12)),
        ]
        seen.note("request ids", requests)
        for id in requests + [999] { seen.note("request \(id)", try queries.acknowledgementRequest(id: id)) }
        try look("requested")

        var acknowledged = transition(
            doLow, "do_low", .below, sensor: "lh-wq-01", site: "lan_ha", metric: "do", .firing, .firing, .acknowledged,
            .warning, value: 4.3, threshold: 5, minutes: 15, raisedMinutes: 5)
        acknowledged.acknowledgedBy = "lan"
        acknowledged.acknowledgedAt = Instants.july1(hours: 6, minutes: 15)
        acknowledged.acknowledgementNote = "aerator on"
        var doAcknowledged = doFiring
        doAcknowledged.acknowledgedBy = "lan"
        doAcknowledged.acknowledgedAt = Instants.july1(hours: 6, minutes: 15)
        try writer.record(
            [(acknowledged, text: "acknowledged do_low by lan")], states: [doAcknowledged],
            at: Instants.july1(hours: 6, minutes: 15))
        try writer.completeAcknowledgement(requests[0], status: "applied", detail: "acknowledged by lan")
        try writer.completeAcknowledgement(
            requests[2], status: "rejected", detail: "alert nothing:here:0 is not active or already acknowledged")
        try writer.completeAcknowledgement(999, status: "applied", detail: "no such request")
        for id in requests + [999] { seen.note("answered \(id)", try queries.acknowledgementRequest(id: id)) }
        try look("acknowledged")

        var pmEscalated = pmState
        pmEscalated.escalated = true
        pmEscalated.severity = .critical
        try writer.record(
            [
                (
                    transition(
                        pm25High, "pm25_high", .above, sensor: "cb-air-01", site: "cat_ba_town", metric: "pm25",
                        .firing, .firing, .escalated, .critical, value: 151, threshold: 150, minutes: 25,
                        raisedMinutes: 5),
                    text: "escalated pm25_high"
                )
            ], states: [pmEscalated], at: Instants.july1(hours: 6, minutes: 25))
        try look("escalated")

        // Resolution clears the state; an alert whose value is missing keeps the last one.
        try writer.record(
            [
                (
                    transition(
                        doLow, "do_low", .below, sensor: "lh-wq-01", site: "lan_ha", metric: "do", .firing, .inactive,
                        .resolved, .warning, value: nil, threshold: 5, minutes: 30, raisedMinutes: 5),
                    text: "resolved do_low"
                )
            ], states: [], removed: [doAcknowledged], at: Instants.july1(hours: 6, minutes: 30))
        try writer.record([], states: [], removed: [], at: Instants.july1(hours: 6, minutes: 31))
        try look("resolved")
        return seen
    }

    // MARK: Maintenance

    @Test("maintenance requests opened, closed, refused and announced answer alike")
    func maintenanceAnswersAlike() async throws {
        try await Self.withBackends { sqlite, postgres in
            let expected = try Self.driveMaintenance(sqlite.maintenance)
            let actual = try Self.driveMaintenance(postgres.maintenance)
            Self.expectSame(actual, expected)

            for (store, seen) in [(sqlite, expected), (postgres, actual)] {
                let backend = Self.backend(of: store)
                let windows = try store.maintenance.windows()
                #expect(windows.map(\.sensor) == ["lh-wq-01", "cb-air-01", "gl-air-01", "gl-air-01"], "\(backend)")
                #expect(windows.first?.end == Instants.july1(hours: 9), "\(backend)")
                #expect(try store.maintenance.request(id: 3)?.status == "refused", "\(backend)")
                #expect(try store.maintenance.request(id: 4)?.windowID == 1, "\(backend)")
                #expect(
                    try store.maintenance.currentWindows(now: Instants.july1(hours: 10)).map { $0.announced } == [0],
                    "\(backend)")
                #expect(
                    seen.value(of: "opened: announced at \(Instants.july1(hours: 7))", as: [Int].self) == [1, 0],
                    "\(backend)")
            }
        }
    }

    /// A start of every metric until ended, a start of one metric with an end, one refused, an
    /// end request closing the first window; windows opened and closed without a request; the
    /// announcement stages; requests and windows that do not exist.
    static func driveMaintenance(_ store: any MaintenanceStore) throws -> Observations {
        var seen = Observations()
        func look(_ step: String) throws {
            seen.note("\(step): all windows", try store.windows())
            seen.note("\(step): windows since", try store.windows(since: Instants.july1(hours: 9)))
            seen.note(
                "\(step): windows in", try store.windows(from: Instants.july1(hours: 8), to: Instants.july1(hours: 9)))
            seen.note("\(step): pending", try store.pendingRequests())
            for now in [Instants.july1(hours: 7), Instants.july1(hours: 10)] {
                let current = try store.currentWindows(now: now)
                seen.note("\(step): current windows at \(now)", current.map { $0.window })
                seen.note("\(step): announced at \(now)", current.map { $0.announced })
            }
            for id: Int64 in 1...5 { seen.note("\(step): request \(id)", try store.request(id: id)) }
        }
        let lanHa = MaintenanceWindow(
            sensor: "lh-wq-01", kind: .calibrating, start: Instants.july1(hours: 8), note: "DO membrane", by: "lan")
        let catBa = MaintenanceWindow(
            sensor: "cb-air-01", metric: "pm25", kind: .maintenance, start: Instants.july1(hours: 8, minutes: 30),
            end: Instants.july1(hours: 12), note: nil, by: "minh")
        let unknown = MaintenanceWindow(sensor: "xx-01", kind: .fault, start: Instants.july1(hours: 8))
        let end = MaintenanceWindow(sensor: "lh-wq-01", kind: .maintenance, start: Instants.july1(hours: 9), by: "lan")
        var ids: [Int64] = []
        ids.append(try store.request(.start, lanHa, at: Instants.july1(hours: 7, minutes: 55)))
        ids.append(try store.request(.start, catBa, at: Instants.july1(hours: 7, minutes: 56)))
        ids.append(try store.request(.start, unknown, at: Instants.july1(hours: 7, minutes: 57)))
        seen.note("request ids", ids)
        try look("requested")

        let opened = [
            try store.open(lanHa, request: ids[0], at: Instants.july1(hours: 7, minutes: 58)),
            try store.open(catBa, request: ids[1], at: Instants.july1(hours: 7, minutes: 58)),
        ]
        seen.note("opened", opened)
        try store.refuse(request: ids[2], because: "unknown sensor \"xx-01\": neither configured nor ever seen")
        try store.refuse(request: 999, because: "no such request")
        try store.markAnnounced(window: opened[0].id, stage: 1)
        try store.markAnnounced(window: 999, stage: 1)
        try look("opened")

        ids.append(try store.request(.end, end, at: Instants.july1(hours: 9)))
        try store.close(window: opened[0].id, at: Instants.july1(hours: 9), by: "lan", request: ids[3])
        try store.close(window: 999, at: Instants.july1(hours: 9), by: nil, request: nil)
        try look("closed")

        // Without a request (a window the daemon shortens or opens itself), and a request id
        // that does not exist.
        let glAir = MaintenanceWindow(
            sensor: "gl-air-01", kind: .fault, start: Instants.july1(hours: 9, minutes: 30),
            end: Instants.july1(hours: 9, minutes: 45))
        seen.note("opened alone", try store.open(glAir, request: nil, at: Instants.july1(hours: 9, minutes: 30)))
        seen.note("opened for nothing", try store.open(glAir, request: 999, at: Instants.july1(hours: 9, minutes: 31)))
        try store.close(window: opened[1].id, at: Instants.july1(hours: 11), by: nil, request: nil)
        try store.markAnnounced(window: opened[0].id, stage: 2)
        try store.markAnnounced(window: 3, stage: 2)
        try store.markAnnounced(window: 4, stage: 2)
        try look("shortened")
        return seen
    }

    // MARK: Outbox

    @Test("outbox enqueue, sending, failures, abandonment, resends, status and pruning answer alike")
    func outboxAnswersAlike() async throws {
        try await Self.withBackends { sqlite, postgres in
            let expected = try Self.driveOutbox(sqlite.outbox)
            let actual = try Self.driveOutbox(postgres.outbox)
            Self.expectSame(actual, expected)

            for (store, seen) in [(sqlite, expected), (postgres, actual)] {
                let backend = Self.backend(of: store)
                // Pruning took every ops-relay entry and the first so-tnmt one.
                let status = try store.outbox.status()
                #expect(status.map(\.target) == ["backup-ftp", "so-tnmt"], "\(backend)")
                #expect(status.last?.sent == 2, "\(backend)")
                #expect(
                    try store.outbox.madeThrough() == [
                        "lh_wq01": Instants.july1(hours: 2), "cb_air01": Instants.july1(hours: 1),
                    ], "\(backend)")
                #expect(try store.outbox.entry(id: 1) == nil, "\(backend)")
                // The second enqueue of a (target, name) left the first body.
                let first = seen.value(of: "sent: entry 1", as: OutboxEntry.self)
                #expect(first.map { String(decoding: $0.body, as: UTF8.self) } == "first", "\(backend)")
                #expect(seen.value(of: "sent: entry 5", as: OutboxEntry.self)?.body == [], "\(backend)")
                let lastErrors = seen.value(of: "sent: status", as: [OutboxTargetStatus].self)?.map(\.lastError)
                #expect(lastErrors == [nil, "HTTP 503", nil], "\(backend)")
            }
        }
    }

    static func dataFile(
        _ target: String, station: String, hour: Int64, body: String = "data"
    ) -> OutboxEntry {
        OutboxEntry(
            target: target, kind: .dataFile, name: "QN_\(station)_20250701_\(hour)00.txt", body: Array(body.utf8),
            station: station, intervalEnd: Instants.july1(hours: hour),
            createdAt: Instants.july1(hours: hour, minutes: 2))
    }

    /// Entries for three targets (one name in two targets, one enqueued twice, an empty body),
    /// made-through marks moving forward only; a file sent, one failing then sent, a webhook
    /// failing and abandoned; resends by target and by station; pruning; ids that do not exist.
    static func driveOutbox(_ outbox: any OutboxStore) throws -> Observations {
        var seen = Observations()
        let targets = ["so-tnmt", "ops-relay", "backup-ftp", "nowhere"]
        func look(_ step: String) throws {
            seen.note("\(step): made through", try outbox.madeThrough())
            for target in targets { seen.note("\(step): next \(target)", try outbox.next(target: target)) }
            for id: Int64 in 1...8 { seen.note("\(step): entry \(id)", try outbox.entry(id: id)) }
            seen.note("\(step): entries", try outbox.entries(target: nil, waitingOnly: false, limit: -1))
            seen.note("\(step): waiting so-tnmt", try outbox.entries(target: "so-tnmt", waitingOnly: true, limit: 2))
            seen.note("\(step): data files", try outbox.dataFiles(from: Instants.july1, to: Instants.july1(hours: 2)))
            seen.note(
                "\(step): data files of lh_wq01",
                try outbox.dataFiles(station: "lh_wq01", from: Instants.july1(hours: 2), to: Instants.july1(hours: 3)))
            seen.note("\(step): status", try outbox.status())
        }
        let webhook = OutboxEntry(
            target: "ops-relay", kind: .webhook, name: "alert-1", body: Array(#"{"notice":"raised"}"#.utf8),
            createdAt: Instants.july1(hours: 1, minutes: 5))
        let emptyWebhook = OutboxEntry(
            target: "ops-relay", kind: .webhook, name: "alert-2", body: [],
            createdAt: Instants.july1(hours: 1, minutes: 6))
        try outbox.enqueue(
            [
                dataFile("so-tnmt", station: "lh_wq01", hour: 1, body: "first"),
                dataFile("so-tnmt", station: "cb_air01", hour: 1), webhook,
            ], madeThrough: ["lh_wq01": Instants.july1(hours: 1), "cb_air01": Instants.july1(hours: 1)])
        try look("enqueued")
        // The same (target, name) again is left as it was; a mark never goes back.
        try outbox.enqueue(
            [
                dataFile("so-tnmt", station: "lh_wq01", hour: 1, body: "second"),
                dataFile("so-tnmt", station: "lh_wq01", hour: 2), emptyWebhook,
                dataFile("backup-ftp", station: "lh_wq01", hour: 1),
            ], madeThrough: ["lh_wq01": Instants.july1(hours: 2), "cb_air01": Instants.july1(minutes: 30)])
        try outbox.enqueue([], madeThrough: [:])
        try look("enqueued again")

        // so-tnmt: the oldest sent; the next fails once (its upload begun), then goes.
        func sendNext(_ target: String, minutes: Int64) throws -> Int64? {
            guard let entry = try outbox.next(target: target) else { return nil }
            try outbox.markUploadStarted(entry.id, at: Instants.july1(hours: 3, minutes: minutes))
            return entry.id
        }
        if let id = try sendNext("so-tnmt", minutes: 0) {
            try outbox.markSent(id, at: Instants.july1(hours: 3, minutes: 1))
        }
        if let id = try sendNext("so-tnmt", minutes: 2) {
            try outbox.markFailed(
                id, error: "connection refused", retryAt: Instants.july1(hours: 3, minutes: 5),
                at: Instants.july1(hours: 3, minutes: 3))
        }
        try look("failed once")
        if let id = try sendNext("so-tnmt", minutes: 5) {
            try outbox.markSent(id, at: Instants.july1(hours: 3, minutes: 6))
        }
        if let id = try sendNext("so-tnmt", minutes: 7) {
            try outbox.markSent(id, at: Instants.july1(hours: 3, minutes: 8))
        }
        // ops-relay: the webhook fails twice and is given up; the next one is sent.
        if let id = try outbox.next(target: "ops-relay")?.id {
            try outbox.markFailed(
                id, error: "HTTP 502", retryAt: Instants.july1(hours: 3, minutes: 2), at: Instants.july1(hours: 3))
            try outbox.markFailed(
                id, error: "HTTP 503", retryAt: Instants.july1(hours: 3, minutes: 4),
                at: Instants.july1(hours: 3, minutes: 2))
            try outbox.markAbandoned(id, error: "HTTP 503", at: Instants.july1(hours: 3, minutes: 4))
        }
        if let id = try sendNext("ops-relay", minutes: 9) {
            try outbox.markSent(id, at: Instants.july1(hours: 3, minutes: 10))
        }
        // Ids that do not exist change nothing.
        try outbox.markUploadStarted(999, at: Instants.july1(hours: 4))
        try outbox.markSent(999, at: Instants.july1(hours: 4))
        try outbox.markFailed(999, error: "x", retryAt: Instants.july1(hours: 4), at: Instants.july1(hours: 4))
        try outbox.markAbandoned(999, error: "x", at: Instants.july1(hours: 4))
        try look("sent")

        seen.note(
            "resent to so-tnmt",
            try outbox.resend(
                target: "so-tnmt", station: "cb_air01", from: Instants.july1, to: Instants.july1(hours: 1),
                at: Instants.july1(hours: 5)))
        seen.note(
            "resent of lh_wq01",
            try outbox.resend(
                target: nil, station: "lh_wq01", from: Instants.july1(hours: 2), to: Instants.july1(hours: 2),
                at: Instants.july1(hours: 5)))
        seen.note(
            "resent of nothing",
            try outbox.resend(
                target: "nowhere", station: nil, from: Instants.july1, to: Instants.july1(hours: 9),
                at: Instants.july1(hours: 5)))
        try look("resent")
        for target in ["so-tnmt", "so-tnmt", "backup-ftp"] {
            if let id = try sendNext(target, minutes: 30) {
                try outbox.markSent(id, at: Instants.july1(hours: 5, minutes: 30))
            }
        }
        try look("sent again")

        seen.note("pruned nothing", try outbox.prune(before: Instants.july1(hours: 3)))
        seen.note("pruned", try outbox.prune(before: Instants.july1(hours: 3, minutes: 20)))
        try look("pruned")
        return seen
    }

    // MARK: AQI

    @Test("AQI hours recorded, replaced and read answer alike")
    func aqiAnswersAlike() async throws {
        try await Self.withBackends { sqlite, postgres in
            let expected = try Self.driveAQI(sqlite.aqi)
            let actual = try Self.driveAQI(postgres.aqi)
            Self.expectSame(actual, expected)

            for store in [sqlite, postgres] {
                let latest = try store.aqi.latest()
                #expect(latest.map(\.sensor) == ["cb-air-01", "cb-air-02", "gl-air-01"], "\(Self.backend(of: store))")
                #expect(latest.first?.value == 95, "\(Self.backend(of: store))")
                #expect(latest.last?.dominant == nil, "\(Self.backend(of: store))")
            }
        }
    }

    static func hour(
        _ sensor: String, site: String, hour: Int64, value: Int, dominant: VNAQI.Parameter? = .pm25,
        subIndices: [VNAQI.Parameter: Int]? = nil, computedMinutes: Int64 = 2
    ) -> HourlyAQI {
        HourlyAQI(
            sensor: sensor, site: site, hour: Instants.july1(hours: hour), value: value, dominant: dominant,
            subIndices: subIndices ?? [.pm25: value],
            computedAt: Instants.july1(hours: hour + 1, minutes: computedMinutes))
    }

    /// Hours of three sensors at two sites (one without a dominant parameter), an hour recorded
    /// again, two entries for one hour in one call (the last counts), an empty call.
    static func driveAQI(_ store: any AQIStore) throws -> Observations {
        var seen = Observations()
        func look(_ step: String) throws {
            for sensor in ["cb-air-01", "cb-air-02", "gl-air-01", "xx-01"] {
                seen.note("\(step): last hour of \(sensor)", try store.lastRecordedHour(sensor: sensor))
            }
            seen.note("\(step): all", try store.hourly(from: Instants.july1, to: Instants.july1(hours: 6)))
            seen.note("\(step): [3, 4)", try store.hourly(from: Instants.july1(hours: 3), to: Instants.july1(hours: 4)))
            seen.note(
                "\(step): cat_ba_town",
                try store.hourly(site: "cat_ba_town", sensor: nil, from: Instants.july1, to: Instants.july1(hours: 6)))
            seen.note(
                "\(step): cb-air-02",
                try store.hourly(site: nil, sensor: "cb-air-02", from: Instants.july1, to: Instants.july1(hours: 6)))
            seen.note(
                "\(step): both",
                try store.hourly(
                    site: "cat_ba_town", sensor: "gl-air-01", from: Instants.july1, to: Instants.july1(hours: 6)))
            seen.note("\(step): latest", try store.latest())
        }
        try store.record([
            hour(
                "cb-air-01", site: "cat_ba_town", hour: 3, value: 73,
                subIndices: [.pm25: 73, .pm10: 41, .o3OneHour: 12, .no2: 20, .so2: 3, .co: 5]),
            hour("gl-air-01", site: "gia_luan", hour: 2, value: 30, dominant: nil, subIndices: [:]),
            hour("cb-air-02", site: "cat_ba_town", hour: 3, value: 55, dominant: .pm10, subIndices: [.pm10: 55]),
            hour("cb-air-01", site: "cat_ba_town", hour: 4, value: 80),
        ])
        try look("recorded")
        try store.record([
            hour(
                "cb-air-01", site: "cat_ba_town", hour: 3, value: 91, dominant: .pm10,
                subIndices: [.pm25: 60, .pm10: 91],
                computedMinutes: 40),
            hour("cb-air-01", site: "cat_ba_town", hour: 5, value: 90, computedMinutes: 1),
            hour("cb-air-01", site: "cat_ba_town", hour: 5, value: 95, computedMinutes: 3),
        ])
        try store.record([])
        try look("replaced")
        return seen
    }

    // MARK: Support

    /// A fresh store of each backend, opened for ingest as the daemon opens it.
    static func withBackends(_ body: (_ sqlite: Store, _ postgres: Store) async throws -> Void) async throws {
        let sqlite = try await StoreFixture(.sqlite)
        let postgres = try await StoreFixture(.postgresql)
        try await body(sqlite.store, postgres.store)
    }

    /// Which backend a failed expectation is about.
    static func backend(of store: Store) -> String { store.location.sqlitePath == nil ? "PostgreSQL" : "SQLite" }

    /// Every answer of one run, labelled, in order.
    struct Observations {
        private(set) var values: [(label: String, value: AnyHashable)] = []

        mutating func note(_ label: String, _ value: some Hashable) { values.append((label, AnyHashable(value))) }

        /// The first answer noted under `label`, if it is a `T` (nil for a nil answer).
        func value<T>(of label: String, as type: T.Type) -> T? { values.first { $0.label == label }?.value.base as? T }
    }

    static func expectSame(
        _ postgres: Observations, _ sqlite: Observations, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(postgres.values.map(\.label) == sqlite.values.map(\.label), sourceLocation: sourceLocation)
        for (actual, expected) in zip(postgres.values, sqlite.values) {
            #expect(actual.value == expected.value, "\(expected.label)", sourceLocation: sourceLocation)
        }
    }
}
