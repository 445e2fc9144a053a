import EnvMonCore
import Testing

private typealias F = AlertFixture

@Suite("maintenance windows: device status, overlaps, alerts held")
struct MaintenanceTests {
    static let series = SeriesKey(sensor: F.sensor, metric: "do")

    @Test("a window gives its readings its status; other metrics, sensors and times stay measuring")
    func scheduleStatus() {
        let calibration = MaintenanceWindow(
            id: 1, sensor: F.sensor, metric: "do", kind: .calibrating, start: F.minutes(10), end: F.minutes(20))
        let fault = MaintenanceWindow(id: 2, sensor: "lh-do-02", kind: .fault, start: F.minutes(0))
        let schedule = MaintenanceSchedule([calibration, fault])
        #expect(schedule.status(of: Self.series, at: F.minutes(10)) == .calibrating)
        #expect(schedule.status(of: Self.series, at: F.minutes(20)) == .measuring, "the end is exclusive")
        #expect(schedule.status(of: Self.series, at: F.minutes(9)) == .measuring)
        #expect(schedule.status(of: SeriesKey(sensor: F.sensor, metric: "ph"), at: F.minutes(15)) == .measuring)
        #expect(schedule.status(of: SeriesKey(sensor: "lh-do-02", metric: "do"), at: F.minutes(500)) == .deviceError)
        #expect(MaintenanceKind.maintenance.deviceStatus.code == "01")
    }

    @Test("overlap: same sensor and time clash (a whole-sensor window covers every metric); disjoint ones do not")
    func overlaps() {
        let open = MaintenanceWindow(id: 1, sensor: F.sensor, kind: .maintenance, start: F.minutes(0))
        let schedule = MaintenanceSchedule([open])
        let metricLater = MaintenanceWindow(sensor: F.sensor, metric: "do", kind: .fault, start: F.minutes(60))
        #expect(schedule.overlapping(metricLater)?.id == 1)
        let otherSensor = MaintenanceWindow(sensor: "x", kind: .fault, start: F.minutes(60))
        #expect(schedule.overlapping(otherSensor) == nil)
        let closed = MaintenanceSchedule([
            MaintenanceWindow(
                id: 2, sensor: F.sensor, metric: "ph", kind: .calibrating, start: F.minutes(0), end: F.minutes(30))
        ])
        #expect(closed.overlapping(MaintenanceWindow(sensor: F.sensor, kind: .fault, start: F.minutes(30))) == nil)
        #expect(
            closed.overlapping(MaintenanceWindow(sensor: F.sensor, metric: "do", kind: .fault, start: F.minutes(10)))
                == nil)
        #expect(closed.overlapping(MaintenanceWindow(sensor: F.sensor, kind: .fault, start: F.minutes(29)))?.id == 2)
    }

    @Test("held: no raise and no no_data in the window; a firing alert stays firing; judged again after it")
    func alertsHeld() {
        var engine = F.engine(
            F.rule("do_low", .below(5.0, clear: 5.3)),
            F.rule("silent", .noData(after: .seconds(600)), metric: "*", severity: .warning))
        #expect(engine.feed(6.0, minute: 0).isEmpty)
        engine.suspend(sensor: F.sensor, metric: nil)
        #expect(engine.isSuspended(sensor: F.sensor, metric: "do"))
        #expect(engine.feed(4.0, minute: 1).isEmpty, "no raise in the window")
        #expect(engine.tick(minute: 30).isEmpty, "no no_data in the window")
        engine.resume(sensor: F.sensor, metric: nil, at: F.minutes(30))
        #expect(engine.tick(minute: 39).isEmpty, "silence counts from the window's end")
        #expect(engine.tick(minute: 40).notices == [.raised])
        #expect(engine.feed(4.0, minute: 41).notices.contains(.raised), "a low value after the window raises")

        // Firing when a window opens: held (no resolve from a calibration value), re-judged after.
        engine.suspend(sensor: F.sensor, metric: "do")
        #expect(engine.feed(7.0, minute: 42).isEmpty)
        #expect(engine.record(rule: "do_low", sensor: F.sensor)?.state == .firing)
        engine.resume(sensor: F.sensor, metric: "do", at: F.minutes(50))
        #expect(engine.feed(7.0, minute: 51).notices == [.resolved])
    }

    @Test("a device's own status: JSON member and SenML record, codes and names; a bad one rejected alone")
    func reportedStatus() {
        var context = DecodeContext(
            topic: "cathai/lan_ha/lh-wq-09", topicPrefix: "cathai", format: .json, receivedAt: F.start)
        context.statusFields = ["status"]
        let json = JSONObjectDecoder.decode(Array(#"{"do": 4.0, "ph": 7.0, "status": "01"}"#.utf8), context: context)
        #expect(json.samples.count == 2 && json.samples.allSatisfy { $0.reportedStatus == .calibrating })
        let numeric = JSONObjectDecoder.decode(Array(#"{"do": 4.0, "status": 2}"#.utf8), context: context)
        #expect(numeric.samples.map(\.reportedStatus) == [.deviceError])
        let bad = JSONObjectDecoder.decode(Array(#"{"do": 4.0, "status": "sleepy"}"#.utf8), context: context)
        #expect(bad.samples.map(\.reportedStatus) == [nil])
        #expect(bad.rejections.first?.detail.contains("device status") == true)

        context.format = .senml
        let senml = SenMLDecoder.decode(
            Array(#"[{"bn":"lh-wq-09/","n":"do","v":4.0},{"n":"status","vs":"calibrating"}]"#.utf8), context: context)
        #expect(senml.samples.count == 1 && senml.samples[0].reportedStatus == .calibrating, "\(senml)")
        #expect(DeviceStatus(reported: "fault") == .deviceError && DeviceStatus(reported: 0.0) == .measuring)
        #expect(DeviceStatus(reported: 1.5) == nil)
    }
}
