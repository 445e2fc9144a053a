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
