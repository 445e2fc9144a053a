import EnvMonCore
import Testing

private typealias F = AlertFixture

@Suite("no_data counts arrivals, not reading times")
struct AlertEngineArrivalTests {
    static let fifteenMinutes = Duration.seconds(900)

    @Test("a logger back-filling old readings after an outage is reporting again")
    func backfillResolves() throws {
        var engine = F.engine(F.rule("silent", .noData(after: Self.fifteenMinutes), metric: "*", severity: .warning))
        #expect(engine.feed(6.0, minute: 0).isEmpty)
        #expect(engine.tick(minute: 15).notices == [.raised])
        // At minute 60 the link is back and the logger sends what it measured at minute 20.
        let old = F.reading(6.1, at: F.minutes(20))
        let resolved = engine.observe(old, site: F.site, arrivedAt: F.minutes(60))
        #expect(resolved.notices == [.resolved])
        // It counts as fresh from its arrival, so the next tick within 15 minutes stays quiet...
        #expect(engine.tick(minute: 74).isEmpty)
        // ...and silence after that arrival raises again on time.
        #expect(engine.tick(minute: 75).notices == [.raised])
    }

    @Test("a replay at start does not raise no_data for sensors that are reporting")
    func replayAtStartStaysQuiet() {
        var engine = F.engine(
            F.rule("silent", .noData(after: Self.fifteenMinutes), metric: "*", severity: .warning),
            startedAt: F.minutes(180))
        // Three hours of history replayed at minute 180, then the live reading.
        for minute in stride(from: 0.0, to: 180, by: 10) {
            #expect(
                engine.observe(F.reading(6, at: F.minutes(minute)), site: F.site, arrivedAt: F.minutes(180)).isEmpty)
        }
        #expect(engine.tick(minute: 181).isEmpty)
        #expect(engine.record(rule: "silent", sensor: F.sensor)?.state != .firing)
    }

    @Test("a stepped system clock moves the arrival timers: no burst of false alerts, real silence still caught")
    func clockStepMovesArrivals() {
        var engine = F.engine(F.rule("silent", .noData(after: Self.fifteenMinutes), metric: "*", severity: .warning))
        #expect(engine.observe(F.reading(6, at: F.minutes(0)), site: F.site, arrivedAt: F.minutes(0)).isEmpty)
        // At minute 5 NTP steps the clock an hour forward: the last arrival was really 5 minutes ago.
        engine.systemClockStepped(by: 3_600_000)
        #expect(engine.tick(minute: 66).isEmpty)
        // Silence still raises 15 minutes after the (moved) arrival.
        #expect(engine.tick(minute: 75).notices == [.raised])
    }

    @Test("a backward step does not hide a silence for the length of the step")
    func backwardStepStillRaises() {
        var engine = F.engine(F.rule("silent", .noData(after: Self.fifteenMinutes), metric: "*", severity: .warning))
        #expect(engine.observe(F.reading(6, at: F.minutes(60)), site: F.site, arrivedAt: F.minutes(60)).isEmpty)
        engine.systemClockStepped(by: -3_600_000)
        #expect(engine.tick(minute: 14).isEmpty)
        #expect(engine.tick(minute: 15).notices == [.raised])
    }
}

@Suite("catch-up readings: the newest is the present value, no rate over the burst")
struct AlertEngineCatchUpTests {
    static func catchUp(_ value: Double, at time: Timestamp, metric: String = "do") -> Reading {
        var reading = F.reading(value, at: time, metric: metric)
        reading.timeSource = .catchUp
        return reading
    }

    @Test("the newest reading of a burst resolves no_data and is judged as the present value")
    func newestOfBurstIsJudged() {
        var engine = F.engine(
            F.rule("do_low", .below(5.0, clear: 5.3), severity: .critical),
            F.rule("silent", .noData(after: .seconds(900)), metric: "*", severity: .warning))
        #expect(engine.feed(6.0, minute: 0).isEmpty)
        #expect(engine.tick(minute: 15).notices == [.raised])
        let transitions = engine.observe(
            Self.catchUp(3.0, at: F.minutes(20)), site: F.site, arrivedAt: F.minutes(20))
        #expect(transitions.notices.sorted { $0.rawValue < $1.rawValue } == [.raised, .resolved])
        #expect(engine.record(rule: "do_low", sensor: F.sensor)?.state == .firing)
    }

    @Test("no rate is judged across a burst's millisecond spacing")
    func noRateOverBurst() {
        var engine = F.engine(
            F.rule("do_drop", .rate(change: 1.0, window: .seconds(600), direction: .fall), severity: .warning))
        #expect(engine.feed(6.0, minute: 0).isEmpty)
        // A fall of 3 mg/L "within a millisecond" of a burst: not a rate anyone measured.
        #expect(engine.observe(Self.catchUp(3.0, at: F.minutes(0).adding(milliseconds: 1)), site: F.site).isEmpty)
        #expect(engine.record(rule: "do_drop", sensor: F.sensor)?.state != .firing)
    }
}
