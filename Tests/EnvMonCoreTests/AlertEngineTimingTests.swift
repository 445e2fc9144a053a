import Testing

@testable import EnvMonCore

/// Everything that must happen on time with no traffic (`tick`), and what the operator sees over
/// an alert's life: for-durations, no data, escalation, repeats, acknowledgement, flapping.
@Suite("AlertEngine timing")
struct AlertEngineTimingTests {
    typealias F = AlertFixture

    static let tenMinutes = Duration.seconds(600)
    static let fifteenMinutes = Duration.seconds(900)

    // MARK: for-duration

    @Test("for: pending at the first low value, firing on the timer when the duration elapses with no traffic")
    func forDurationFiresOnTick() throws {
        var engine = F.engine(F.rule(for: Self.tenMinutes))
        let pending = engine.feed(4.5, minute: 0)
        #expect(pending.notices == [.pending])
        #expect(pending.first?.to == .pending)
        #expect(!pending[0].notice.isNotification)
        #expect(engine.nextDeadline() == F.minutes(10))
        #expect(engine.tick(now: F.minutes(10).adding(milliseconds: -1)).isEmpty)
        let raised = engine.tick(minute: 10)
        #expect(raised.notices == [.raised])
        let alert = try #require(raised.first)
        #expect(alert.from == .pending)
        #expect(alert.to == .firing)
        #expect(alert.at == F.minutes(10))
        #expect(alert.raisedAt == F.minutes(10))
        #expect(alert.value == 4.5)
        // The id is the occurrence's start, so the pending notice and the alert share it.
        #expect(alert.alertID == pending[0].alertID)
        #expect(alert.alertID == "do_low:lh-wq-01:\(F.start.milliseconds)")
        #expect(engine.tick(minute: 20).isEmpty)
    }

    @Test("for: a reading back in range before the duration cancels; the timer then does nothing")
    func forDurationCancelled() {
        var engine = F.engine(F.rule(for: Self.tenMinutes))
        #expect(engine.feed(4.5, minute: 0).notices == [.pending])
        #expect(engine.feed(4.9, minute: 3).isEmpty)
        let cancelled = engine.feed(5.1, minute: 6)
        #expect(cancelled.notices == [.cancelled])
        #expect(cancelled.first?.to == .inactive)
        #expect(engine.tick(minute: 11).isEmpty)
        #expect(engine.nextDeadline() == nil)
        // The next pending starts afresh.
        #expect(engine.feed(4.5, minute: 12).notices == [.pending])
        #expect(engine.tick(minute: 21).isEmpty)
        #expect(engine.tick(minute: 22).notices == [.raised])
    }

    @Test("for: a reading arriving after the duration fires without waiting for the timer")
    func forDurationFiresOnReading() {
        var engine = F.engine(F.rule(for: Self.tenMinutes))
        #expect(engine.feed([4.5, 4.4, 4.3], from: 0).notices == [.pending])
        #expect(engine.feed(4.2, minute: 10).notices == [.raised])
    }

    // MARK: no data

    @Test("no_data fires exactly at staleness on the timer and resolves on the next reading")
    func noDataOnTime() throws {
        var engine = F.engine(F.rule("silent", .noData(after: Self.fifteenMinutes), metric: "*", severity: .warning))
        #expect(engine.feed(6.0, minute: 0).isEmpty)
        #expect(engine.nextDeadline() == F.minutes(15))
        #expect(engine.tick(now: F.minutes(15).adding(milliseconds: -1)).isEmpty)
        let raised = engine.tick(minute: 15)
        #expect(raised.notices == [.raised])
        let alert = try #require(raised.first)
        #expect(alert.kind == .noData)
        #expect(alert.value == 900)
        #expect(alert.threshold == 900)
        #expect(alert.lastSeenAt == F.start)
        #expect(alert.metric == "*")
        #expect(engine.tick(minute: 40).isEmpty)
        let resolved = engine.feed(6.1, minute: 41)
        #expect(resolved.notices == [.resolved])
        #expect(resolved.first?.alertID == alert.alertID)
    }

    @Test("no_data counts readings of any quality, but a replayed old reading does not make a silent sensor fresh")
    func noDataArrivals() {
        var engine = F.engine(F.rule("silent", .noData(after: Self.fifteenMinutes), metric: "*", severity: .warning))
        #expect(engine.feed(0, minute: 0, quality: .fail).isEmpty)
        #expect(engine.tick(minute: 14).isEmpty)
        #expect(engine.feed(0, minute: 14, quality: .missing).isEmpty)
        #expect(engine.tick(minute: 28).isEmpty)
        #expect(engine.tick(minute: 29).notices == [.raised])
        #expect(engine.feed(6, minute: 1).isEmpty)  // replay of an old reading
        #expect(engine.record(rule: "silent", sensor: F.sensor)?.state == .firing)
    }

    @Test("A configured sensor never heard from is reported after the duration from the engine's start")
    func neverReported() throws {
        let sensors = [
            MonitoredSensor(id: "lh-wq-01", site: F.site, siteKind: .aquaculture, metrics: ["do", "ph"]),
            MonitoredSensor(id: "cb-wx-01", site: "cat_ba_town", siteKind: .town, metrics: ["wind_speed"]),
        ]
        let start = F.minutes(100)
        var engine = AlertEngine(
            rules: [F.rule("do_silent", .noData(after: Self.fifteenMinutes), metric: "do", severity: .warning)],
            sensors: sensors, startedAt: start)
        // Only the sensor that is configured to send DO is watched.
        #expect(engine.exportState().map(\.sensor) == ["lh-wq-01"])
        #expect(engine.nextDeadline() == F.minutes(115))
        #expect(engine.tick(minute: 114).isEmpty)
        let raised = engine.tick(minute: 115)
        #expect(raised.notices == [.raised])
        let alert = try #require(raised.first)
        #expect(alert.value == nil)
        #expect(alert.lastSeenAt == nil)
        #expect(alert.sensor == "lh-wq-01")
        #expect(alert.site == F.site)
        #expect(alert.journalText(catalogue: .standard).contains("never reported"))
    }

    @Test("no_data escalates after a longer silence")
    func noDataEscalation() {
        var engine = F.engine(
            F.rule(
                "silent", .noData(after: Self.fifteenMinutes), metric: "*", severity: .warning,
                escalation: AlertEscalation(.critical, when: .noData(after: .seconds(7200)))))
        _ = engine.feed(6, minute: 0)
        #expect(engine.tick(minute: 15).first?.severity == .warning)
        #expect(engine.nextDeadline() == F.minutes(120))
        let escalated = engine.tick(minute: 120)
        #expect(escalated.notices == [.escalated])
        #expect(escalated.first?.severity == .critical)
        #expect(escalated.first?.threshold == 7200)
        #expect(engine.feed(6, minute: 121).notices == [.resolved])
    }

    // MARK: escalation

    @Test("Escalation warning → critical and back within one alert, with hysteresis on each level")
    func escalationUpAndDown() throws {
        var engine = F.engine(
            F.rule(
                severity: .warning, escalation: AlertEscalation(.critical, when: .below(4.0, clear: 4.2))))
        let transitions = engine.feed([4.8, 3.9, 4.1, 3.95, 4.2, 4.9, 5.3])
        #expect(transitions.notices == [.raised, .escalated, .deescalated, .resolved])
        #expect(transitions.map(\.severity) == [.warning, .critical, .warning, .warning])
        #expect(transitions.map(\.threshold) == [5.0, 4.0, 5.0, 5.0])
        #expect(Set(transitions.map(\.alertID)).count == 1)
        #expect(transitions[1].at == F.minutes(1))
        #expect(transitions[2].at == F.minutes(4))
    }

    @Test("A value already past the escalation level raises at the higher severity")
    func raisedEscalated() {
        var engine = F.engine(F.rule(severity: .warning, escalation: AlertEscalation(.critical, when: .below(4.0))))
        let raised = engine.feed(3.5, minute: 0)
        #expect(raised.notices == [.raised])
        #expect(raised.first?.severity == .critical)
        #expect(raised.first?.threshold == 4.0)
    }

    @Test("Escalation needs a fresh acknowledgement: it clears the old one and repeats resume")
    func escalationClearsAcknowledgement() throws {
        var engine = F.engine(
            F.rule(
                severity: .warning, escalation: AlertEscalation(.critical, when: .below(4.0)),
                repeat: Self.tenMinutes))
        let first = engine.feed(4.5, minute: 0)
        let id = try #require(first.first?.alertID)
        #expect(engine.acknowledge(alertID: id, by: "Trang", note: "đang sục khí", at: F.minutes(1)) != nil)
        #expect(engine.tick(minute: 30).isEmpty)
        let escalated = engine.feed(3.8, minute: 31)
        #expect(escalated.notices == [.escalated])
        #expect(escalated.first?.acknowledgedBy == nil)
        #expect(engine.tick(minute: 40).isEmpty)
        #expect(engine.tick(minute: 41).notices == [.repeated])
    }

    // MARK: repeat and acknowledgement

    @Test("Repeats every interval while unacknowledged, none after acknowledgement")
    func repeatUntilAcknowledged() throws {
        var engine = F.engine(F.rule(repeat: .seconds(1800)))
        let first = engine.feed(4.0, minute: 0)
        let id = try #require(first.first?.alertID)
        #expect(engine.nextDeadline() == F.minutes(30))
        #expect(engine.tick(minute: 29).isEmpty)
        let repeated = engine.tick(minute: 30)
        #expect(repeated.notices == [.repeated])
        #expect(repeated.first?.from == .firing)
        #expect(repeated.first?.to == .firing)
        #expect(repeated.first?.alertID == id)
        #expect(engine.tick(minute: 59).isEmpty)
        // A late timer gives one repeat, not a burst of the missed ones.
        #expect(engine.tick(minute: 125).notices == [.repeated])

        let acknowledged = engine.acknowledge(
            alertID: id, by: "Nguyễn Văn An", note: "đã báo chủ lồng", at: F.minutes(126))
        let ack = try #require(acknowledged)
        #expect(ack.notice == .acknowledged)
        #expect(ack.from == .firing)
        #expect(ack.to == .firing)
        #expect(ack.acknowledgedBy == "Nguyễn Văn An")
        #expect(ack.acknowledgedAt == F.minutes(126))
        #expect(ack.acknowledgementNote == "đã báo chủ lồng")
        #expect(engine.nextDeadline() == nil)
        #expect(engine.tick(minute: 600).isEmpty)
        let record = try #require(engine.record(rule: "do_low", sensor: F.sensor))
        #expect(record.isAcknowledged)
        #expect(record.acknowledgedBy == "Nguyễn Văn An")
        // Low readings while acknowledged change nothing; the resolve still carries who acknowledged.
        #expect(engine.feed(4.1, minute: 601).isEmpty)
        let resolved = engine.feed(6, minute: 602)
        #expect(resolved.notices == [.resolved])
        #expect(resolved.first?.acknowledgedBy == "Nguyễn Văn An")
        // The next occurrence starts unacknowledged.
        _ = engine.feed(4, minute: 603)
        #expect(engine.record(rule: "do_low", sensor: F.sensor)?.isAcknowledged == false)
        #expect(engine.tick(minute: 633).notices == [.repeated])
    }

    @Test("Acknowledging works once, only on an active alert")
    func acknowledgeRules() throws {
        var engine = F.engine(F.rule(for: Self.tenMinutes))
        let pending = engine.feed(4.0, minute: 0)
        let pendingID = try #require(pending.first?.alertID)
        #expect(engine.acknowledge(alertID: pendingID, by: "a", at: F.minutes(1)) == nil)  // pending
        #expect(engine.acknowledge(alertID: "do_low:lh-wq-01:1", by: "a", at: F.minutes(1)) == nil)  // unknown
        _ = engine.tick(minute: 10)
        #expect(engine.acknowledge(alertID: pendingID, by: "a", at: F.minutes(11)) != nil)
        #expect(engine.acknowledge(alertID: pendingID, by: "b", at: F.minutes(12)) == nil)  // already
        _ = engine.feed(6, minute: 13)
        #expect(engine.acknowledge(alertID: pendingID, by: "c", at: F.minutes(14)) == nil)  // resolved
    }

    // MARK: flapping

    static let flap = FlapSuppression(transitions: 4, window: .seconds(3600), quiet: .seconds(1800))

    @Test("Flap suppression: the fourth edge within the hour turns the alert to flapping, then silence until quiet")
    func flappingThenResolved() throws {
        var engine = F.engine(F.rule("do_low", .below(5.0), flap: Self.flap))
        let oscillating = engine.feed([4, 6, 4, 6, 4, 6, 4, 6, 4, 6, 4, 6])
        #expect(oscillating.notices == [.raised, .resolved, .raised, .flapping])
        let flapping = oscillating[3]
        #expect(flapping.from == .firing)
        #expect(flapping.to == .flapping)
        #expect(flapping.alertID == oscillating[2].alertID)
        #expect(engine.record(rule: "do_low", sensor: F.sensor)?.state == .flapping)
        #expect(engine.activeAlerts().count == 1)
        // The last edge was at minute 11 (resolve); quiet for 30 minutes ends it, resolved.
        #expect(engine.nextDeadline() == F.minutes(41))
        #expect(engine.feed(6.2, minute: 20).isEmpty)
        #expect(engine.tick(minute: 40).isEmpty)
        let ended = engine.tick(minute: 41)
        #expect(ended.notices == [.flappingEnded])
        #expect(ended.first?.from == .flapping)
        #expect(ended.first?.to == .resolved)
        #expect(ended.first?.alertID == flapping.alertID)
        #expect(engine.record(rule: "do_low", sensor: F.sensor)?.state == .inactive)
        // Then normal again: a new occurrence with a new id.
        let next = engine.feed(4, minute: 50)
        #expect(next.notices == [.raised])
        #expect(next.first?.alertID != flapping.alertID)
    }

    @Test("Flapping that settles low ends as firing, and repeats resume")
    func flappingThenFiring() {
        var engine = F.engine(F.rule("do_low", .below(5.0), repeat: .seconds(3600), flap: Self.flap))
        let oscillating = engine.feed([4, 6, 4, 6, 4])
        #expect(oscillating.notices == [.raised, .resolved, .raised, .flapping])
        #expect(engine.feed([4, 4, 4], from: 5).isEmpty)
        // The last edge was the raise at minute 4: no repeat while flapping, quiet ends at 34.
        #expect(engine.tick(minute: 33).isEmpty)
        let ended = engine.tick(minute: 34)
        #expect(ended.notices == [.flappingEnded])
        #expect(ended.first?.to == .firing)
        #expect(engine.record(rule: "do_low", sensor: F.sensor)?.state == .firing)
        #expect(engine.tick(minute: 93).isEmpty)
        #expect(engine.tick(minute: 94).notices == [.repeated])
    }

    @Test("Edges spread wider than the flap window never count as flapping")
    func slowCyclesAreNotFlapping() {
        var engine = F.engine(F.rule("do_low", .below(5.0), flap: Self.flap))
        var all: [AlertTransition] = []
        for cycle in 0..<6 { all += engine.feed([4, 6], from: Double(cycle) * 70) }
        #expect(!all.notices.contains(.flapping))
        #expect(all.count == 12)
    }
}
