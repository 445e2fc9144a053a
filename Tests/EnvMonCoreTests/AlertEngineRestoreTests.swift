import Testing

@testable import EnvMonCore

/// A restart: export the state, build a new engine, restore. Nothing is raised twice, nothing is
/// forgotten, timers continue.
@Suite("AlertEngine restore")
struct AlertEngineRestoreTests {
    typealias F = AlertFixture

    static let rules = [
        F.rule(for: .seconds(600), repeat: .seconds(1800)),
        F.rule("silent", .noData(after: .seconds(900)), metric: "*", severity: .warning),
    ]

    static func restarted(
        from engine: AlertEngine, at minute: Double, sensors: [MonitoredSensor] = []
    )
        -> AlertEngine
    {
        var fresh = AlertEngine(rules: rules, sensors: sensors, startedAt: F.minutes(minute))
        let discarded = fresh.restore(engine.exportState())
        #expect(discarded.isEmpty)
        return fresh
    }

    @Test("A firing alert is not raised again after a restart; its repeat schedule continues")
    func firingNotRaisedAgain() throws {
        var before = AlertEngine(rules: Self.rules, startedAt: F.start)
        _ = before.feed(4.0, minute: 0)
        let raised = before.tick(minute: 10)
        #expect(raised.notices == [.raised])

        var after = Self.restarted(from: before, at: 12)
        #expect(after.activeAlerts().map(\.alertID) == [raised[0].alertID])
        #expect(after.feed(4.1, minute: 13).isEmpty)
        #expect(after.tick(minute: 14).isEmpty)
        #expect(after.feed(4.1, minute: 30).isEmpty)
        #expect(after.tick(minute: 39).isEmpty)
        #expect(after.tick(minute: 40).notices == [.repeated])  // 30 min after the raise at 10
        let resolved = after.feed(6.0, minute: 41)
        #expect(resolved.notices == [.resolved])
        #expect(resolved.first?.alertID == raised[0].alertID)
        #expect(resolved.first?.raisedAt == F.minutes(10))
    }

    @Test("A condition that cleared while the daemon was down resolves on the first evaluation")
    func clearedWhileDown() {
        var before = AlertEngine(rules: Self.rules, startedAt: F.start)
        _ = before.feed(4.0, minute: 0)
        let raised = before.tick(minute: 10)
        var after = Self.restarted(from: before, at: 60)
        let resolved = after.feed(6.5, minute: 61)
        #expect(resolved.notices == [.resolved])
        #expect(resolved.first?.alertID == raised.first?.alertID)
        #expect(resolved.first?.from == .firing)
    }

    @Test("A pending timer continues from its original start")
    func pendingContinues() {
        var before = AlertEngine(rules: Self.rules, startedAt: F.start)
        let pending = before.feed(4.0, minute: 0)
        #expect(pending.notices == [.pending])
        var after = Self.restarted(from: before, at: 6)
        #expect(after.record(rule: "do_low", sensor: F.sensor)?.pendingSince == F.start)
        #expect(after.nextDeadline() == F.minutes(10))
        #expect(after.tick(minute: 9).isEmpty)
        let raised = after.tick(minute: 10)
        #expect(raised.notices == [.raised])
        #expect(raised.first?.alertID == pending.first?.alertID)
    }

    @Test("no_data counts from the restored last arrival; a sensor never seen counts from the new start")
    func noDataAcrossRestart() {
        let sensors = [
            MonitoredSensor(id: F.sensor, site: F.site, siteKind: .aquaculture, metrics: ["do"]),
            MonitoredSensor(id: "lh-do-02", site: F.site, siteKind: .aquaculture, metrics: ["do"]),
        ]
        var before = AlertEngine(rules: Self.rules, sensors: sensors, startedAt: F.start)
        _ = before.feed(6.0, minute: 0)
        var after = Self.restarted(from: before, at: 5, sensors: sensors)
        #expect(after.record(rule: "silent", sensor: F.sensor)?.lastSeenAt == F.start)
        let first = after.tick(minute: 15)
        #expect(first.map(\.sensor) == [F.sensor])  // from its last reading, not from the restart
        let second = after.tick(minute: 20)
        #expect(second.map(\.sensor) == ["lh-do-02"])  // never reported: 15 min after the new start
        #expect(second.first?.lastSeenAt == nil)
    }

    @Test("A firing no_data alert survives the restart and resolves on the next reading")
    func noDataFiringRestored() {
        var before = AlertEngine(rules: Self.rules, startedAt: F.start)
        _ = before.feed(6.0, minute: 0)
        let raised = before.tick(minute: 15)
        var after = Self.restarted(from: before, at: 30)
        #expect(after.tick(minute: 31).isEmpty)
        let resolved = after.feed(6.0, minute: 32)
        #expect(resolved.map(\.notice) == [.resolved])
        #expect(resolved.first?.alertID == raised.first?.alertID)
    }

    @Test("Acknowledgement, escalation and flapping survive the restart")
    func flagsRestored() throws {
        let rule = F.rule(
            severity: .warning, escalation: AlertEscalation(.critical, when: .below(4.0)), repeat: .seconds(600),
            flap: FlapSuppression(transitions: 4, window: .seconds(3600), quiet: .seconds(1800)))
        var before = F.engine(rule)
        let raised = before.feed(3.5, minute: 0)
        let id = try #require(raised.first?.alertID)
        _ = before.acknowledge(alertID: id, by: "Hà", note: nil, at: F.minutes(1))
        var after = AlertEngine(rules: [rule], startedAt: F.minutes(5))
        after.restore(before.exportState())
        let record = try #require(after.record(rule: "do_low", sensor: F.sensor))
        #expect(record.severity == .critical)
        #expect(record.escalated)
        #expect(record.acknowledgedBy == "Hà")
        #expect(after.tick(minute: 60).isEmpty)  // acknowledged: no repeat

        var flapping = F.engine(rule)
        _ = flapping.feed([4.5, 6, 4.5, 6])
        #expect(flapping.record(rule: "do_low", sensor: F.sensor)?.state == .flapping)
        var restored = AlertEngine(rules: [rule], startedAt: F.minutes(10))
        restored.restore(flapping.exportState())
        #expect(restored.feed([4.5, 6], from: 10).isEmpty)
        #expect(restored.tick(minute: 41).notices == [.flappingEnded])
    }

    @Test("Records of rules that no longer exist are handed back, not restored")
    func unknownRulesDiscarded() {
        var before = AlertEngine(rules: Self.rules, startedAt: F.start)
        _ = before.feed(4.0, minute: 0)
        var after = AlertEngine(rules: [Self.rules[1]], startedAt: F.minutes(1))
        let discarded = after.restore(before.exportState())
        #expect(discarded.map(\.ruleID) == ["do_low"])
        #expect(after.exportState().map(\.ruleID) == ["silent"])
    }

    @Test("Changed records are handed out once, for incremental persistence")
    func changedRecords() {
        var engine = AlertEngine(rules: Self.rules, startedAt: F.start)
        #expect(engine.takeChangedRecords().isEmpty)
        _ = engine.feed(6.0, minute: 0)
        #expect(engine.takeChangedRecords().map(\.ruleID) == ["do_low", "silent"])
        #expect(engine.takeChangedRecords().isEmpty)
        #expect(engine.tick(minute: 5).isEmpty)
        #expect(engine.takeChangedRecords().isEmpty)  // a tick that changes nothing writes nothing
        _ = engine.tick(minute: 15)
        #expect(engine.takeChangedRecords().map(\.ruleID) == ["silent"])
    }

    @Test("Export is the full state, ordered by rule then sensor")
    func exportOrdered() {
        var engine = AlertEngine(rules: Self.rules, startedAt: F.start)
        _ = engine.feed(6.0, minute: 0, sensor: "b")
        _ = engine.feed(6.0, minute: 0, sensor: "a")
        let keys = engine.exportState().map { "\($0.ruleID)/\($0.sensor)" }
        #expect(keys == ["do_low/a", "do_low/b", "silent/a", "silent/b"])
    }
}
