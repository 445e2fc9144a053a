import EnvMonCore
import Testing

@Suite("ReceiptClock")
struct ReceiptClockTests {
    static let doSeries = SeriesKey(sensor: "lh-wq-01", metric: "do")
    static let phSeries = SeriesKey(sensor: "lh-wq-01", metric: "ph")
    static let start = Timestamp(milliseconds: 1_764_385_200_000)

    @Test("Messages of one series received in the same millisecond get distinct, increasing times")
    func sameMillisecondStaysDistinct() {
        var clock = ReceiptClock()
        let times = (0..<5).map { _ in clock.stamp(Self.doSeries, receivedAt: Self.start) }
        #expect(times.map(\.milliseconds) == (0..<5).map { Self.start.milliseconds + $0 })
        // Another series is not moved by this one.
        #expect(clock.stamp(Self.phSeries, receivedAt: Self.start) == Self.start)
        // A later receive time is taken as it is.
        #expect(
            clock.stamp(Self.doSeries, receivedAt: Self.start.adding(milliseconds: 60_000)).milliseconds
                == Self.start.milliseconds + 60_000)
    }

    @Test("Seeded with the stored state, a replay gives times after what is stored")
    func seededFromStore() {
        var clock = ReceiptClock(newest: [Self.doSeries: Self.start.adding(milliseconds: 10)])
        #expect(clock.stamp(Self.doSeries, receivedAt: Self.start) == Self.start.adding(milliseconds: 11))
    }

    @Test("A reading with its own time is not collided with by a later receipt time")
    func deviceTimesAreRespected() {
        var clock = ReceiptClock()
        clock.observe(Self.doSeries, timestamp: Self.start.adding(milliseconds: 5))
        clock.observe(Self.doSeries, timestamp: Self.start)  // older: ignored
        #expect(
            clock.stamp(Self.doSeries, receivedAt: Self.start.adding(milliseconds: 5))
                == Self.start.adding(milliseconds: 6))
    }
}

@Suite("SequenceTracker")
struct SequenceTrackerTests {
    @Test("First, next, a jump, a resend, a late arrival, a counter restart")
    func verdicts() {
        var tracker = SequenceTracker()
        #expect(tracker.check(sensor: "a", sequence: 7, checksum: 1) == .first)
        #expect(tracker.check(sensor: "a", sequence: 8, checksum: 2) == .next(missing: 0))
        #expect(tracker.check(sensor: "a", sequence: 12, checksum: 3) == .next(missing: 3))
        #expect(tracker.check(sensor: "a", sequence: 12, checksum: 3) == .duplicate)
        #expect(tracker.check(sensor: "a", sequence: 8, checksum: 2) == .duplicate)
        #expect(tracker.check(sensor: "a", sequence: 10, checksum: 9) == .late)
        #expect(tracker.check(sensor: "a", sequence: 10, checksum: 9) == .duplicate)
        // The same number with another payload: a counter that restarted or is stuck, kept.
        #expect(tracker.check(sensor: "a", sequence: 12, checksum: 4) == .restart)
        #expect(tracker.check(sensor: "a", sequence: 13, checksum: 5) == .next(missing: 0))
        #expect(tracker.check(sensor: "a", sequence: 500, checksum: 8) == .next(missing: 486))
        // Far below the window: the device restarted its counter.
        #expect(tracker.check(sensor: "a", sequence: 0, checksum: 6) == .restart)
        #expect(tracker.check(sensor: "a", sequence: 1, checksum: 7) == .next(missing: 0))
        // Sensors are apart.
        #expect(tracker.check(sensor: "b", sequence: 1, checksum: 7) == .first)
    }

    @Test("Resumed from the stored last number and checksum, a resend of it is still a duplicate")
    func resumedFromStore() {
        var tracker = SequenceTracker(stored: ["a": .init(lastSequence: 41, lastChecksum: 99)])
        #expect(tracker.check(sensor: "a", sequence: 41, checksum: 99) == .duplicate)
        #expect(tracker.check(sensor: "a", sequence: 43, checksum: 1) == .next(missing: 1))
    }

    @Test("The window stays bounded over a long run")
    func longRun() {
        var tracker = SequenceTracker()
        for sequence in Int64(0)..<10_000 {
            #expect(
                tracker.check(sensor: "a", sequence: sequence, checksum: UInt32(sequence))
                    == (sequence == 0 ? .first : .next(missing: 0)))
        }
        #expect(
            tracker.check(
                sensor: "a", sequence: 9_999 - SequenceTracker.window + 1,
                checksum: UInt32(9_999 - SequenceTracker.window + 1)) == .duplicate)
        #expect(tracker.check(sensor: "a", sequence: 9_000, checksum: 0) == .restart)
    }
}
