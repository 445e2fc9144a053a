import EnvMonConfig
import EnvMonCore
import EnvMonReport
import EnvMonStore
import Testing

@Suite("report figures over a fixture database, against values worked out by hand")
struct ReportBuilderTests {
    @Test("completeness per sensor, site and network; sensors reporting; QC shares")
    func network() throws {
        let fixture = try ReportFixture()
        let network = try fixture.document().network
        #expect(network.sensorsConfigured == 4)
        #expect(network.sensorsReporting == 3)
        #expect(network.silentSensors == ["wq-b"])
        #expect(network.unconfiguredSensors.isEmpty)
        func sensor(_ id: String) throws -> ReportDocument.SensorFigures {
            try #require(network.sensors.first { $0.sensor == id })
        }
        // wq-a: 48 h / 10 min = 288 per metric × 2; DO 240 + pH 288 − 12 QC fails.
        #expect(try sensor("wq-a").expected == 576)
        #expect(try sensor("wq-a").received == 516)
        #expect(try sensor("wq-a").completeness == 516.0 / 576.0)
        // wq-b: 48 h of 1-minute readings expected, none received.
        #expect(try sensor("wq-b").expected == 2880)
        #expect(try sensor("wq-b").received == 0)
        #expect(try sensor("wq-c").expected == 96)
        #expect(try sensor("wq-c").received == 96)
        // air-1: 48 hourly readings × 4 metrics; PM2.5 has 24 + 17.
        #expect(try sensor("air-1").expected == 192)
        #expect(try sensor("air-1").received == 185)
        #expect(network.sites.map(\.site) == ["cage", "beach", "town"])
        #expect(network.sites.map(\.expected) == [576, 2976, 192])
        #expect(network.sites.map(\.received) == [516, 96, 185])
        #expect(network.expected == 3744)
        #expect(network.received == 797)
        // QC: wq-a 510 pass, 6 suspect, 12 fail; wq-c 96 pass; air-1 185 pass.
        let wqA = try sensor("wq-a").quality
        #expect([wqA.pass, wqA.suspect, wqA.fail, wqA.total] == [510, 6, 12, 528])
        #expect(wqA.share(.fail) == 12.0 / 528.0)
        #expect([network.quality.pass, network.quality.suspect, network.quality.fail] == [791, 6, 12])
        #expect(network.quality.total == 809)
    }

    @Test("time in a maintenance window is neither expected nor missing; other sensors unchanged")
    func maintenanceWindow() throws {
        let fixture = try ReportFixture()
        let from = ReportFixture.period.from
        let hour: Int64 = 3_600_000
        // wq-b (1-minute, silent) calibrating for 24 of the 48 hours.
        let window = MaintenanceWindow(
            id: 1, sensor: "wq-b", kind: .calibrating, start: from.adding(milliseconds: 6 * hour),
            end: from.adding(milliseconds: 30 * hour))
        let network = try fixture.document(maintenance: [window]).network
        let wqB = try #require(network.sensors.first { $0.sensor == "wq-b" })
        #expect(wqB.maintenance == 1440 && wqB.expected == 1440 && wqB.received == 0)
        #expect(network.sensors.first { $0.sensor == "wq-a" }?.maintenance == 0)
        #expect(network.expected == 3744 - 1440 && network.received == 797)
    }

    @Test("readings received in a catch-up count as received but stay out of the means; seq gaps per sensor")
    func catchUpAndSequenceGaps() throws {
        let fixture = try ReportFixture()
        let writer = try Store.open(.sqlite(path: fixture.path), for: .ingest).makeReadingWriter()
        let received = ReportFixture.time(hour: 10)
        var batch = IngestBatch(
            readings: (0..<5).map {
                Reading(
                    series: SeriesKey(sensor: "wq-b", metric: "do"),
                    timestamp: received.adding(milliseconds: Int64($0)),
                    value: 3.0, quality: .pass, timeSource: .catchUp)
            }, sites: ["wq-b": "beach"])
        var change = SensorDeliveryChange()
        change.catchUpReadings = 5
        change.missing = 3
        change.lastSequence = 10
        batch.delivery = ["wq-b": change]
        batch.receivedAt = received
        _ = try writer.write(batch)

        let document = try fixture.document()
        let wqB = try #require(document.network.sensors.first { $0.sensor == "wq-b" })
        #expect(wqB.received == 5)
        #expect(wqB.catchUpReadings == 5)
        #expect(wqB.sequenceMissing == 3)
        #expect(!document.network.silentSensors.contains("wq-b"))
        // 3.0 mg/L is under every DO limit, but the burst's times are not real: no exceedance hours.
        #expect(!document.exceedances.contains { $0.site == "beach" && $0.metric == "do" && $0.exceeded > 0 })
        let markdown = MarkdownRenderer.render(ReportComposer(document: document, language: .english).compose())
        #expect(markdown.contains("Received in catch-up"))
        #expect(markdown.contains("left out of hourly and daily means"))
    }

    @Test("hours and days over each QCVN reference, by site kind")
    func exceedances() throws {
        let fixture = try ReportFixture()
        let rows = try fixture.document().exceedances.map {
            "\($0.site) \($0.metric) \($0.reference.text) \($0.reference.averaging.rawValue) \($0.exceeded)/\($0.evaluated) worst \($0.worst.map { String(($0 * 1e6).rounded() / 1e6) } ?? "-")"
        }
        #expect(
            rows == [
                "cage do ≥ 5 1h 10/40 worst 4.5",  // DO 4.5 in hours 0-9; no DO after hour 39
                "cage ph 6.5–8.5 1h 3/46 worst 8.7",  // 8.7 in hours 20-22; hours 30-31 only QC fails
                "beach do ≥ 4 1h 0/48 worst 4.5",  // 4.5 is under the aquaculture limit, not the beach's
                "town pm25 ≤ 45 24h 1/1 worst 55.7",  // 2026: 45 µg/m³; day 2 has 17 hours only
                "town pm10 ≤ 100 24h 0/2 worst 60.0",
                "town no2 ≤ 200 1h 2/48 worst 250.0",
                "town o3 ≤ 200 1h 0/48 worst 89.3",
            ])
        // Before 2026 the PM2.5 24-h reference is 50.
        let references = QCVNReferences.references(metric: "pm25", siteKind: .town)
        #expect(
            references.filter { $0.applies(at: ReportPeriod.localMidnight(year: 2025, month: 12, day: 31)) }.map(\.text)
                == ["≤ 50"])
        #expect(
            references.filter { $0.applies(at: ReportPeriod.localMidnight(year: 2026, month: 1, day: 1)) }.map(\.text)
                == ["≤ 45"])
    }

    @Test("daily VN_AQI per air station: value, category, colour, dominant pollutant, days per category")
    func airQuality() throws {
        let fixture = try ReportFixture()
        let station = try #require(try fixture.document().airQuality.first)
        #expect(station.sensor == "air-1")
        #expect(station.days.count == 2)
        let day1 = try #require(station.days[0].aqi)
        // PM2.5 55.7 → 109.5 → 110 (the decision's own example); PM10 60 → 55; NO2 130.8 → 65;
        // O3 1-h 89.3 → 27.9 → 28, 8-h 89.3 → 44.65 → 45.
        #expect(day1.value == 110)
        #expect(day1.dominant == .pm25)
        #expect(day1.category == .poor)
        #expect(day1.category.colour.hex == "#FF7E00")
        #expect(day1.subIndex(.pm10)?.rounded == 55)
        #expect(day1.subIndex(.no2)?.rounded == 65)
        #expect(day1.subIndex(.o3OneHour)?.rounded == 28)
        #expect(day1.subIndex(.o3EightHour)?.rounded == 45)
        let day2 = try #require(station.days[1].aqi)
        // No PM2.5 24-h mean (17 hours); PM10 40 → 40; NO2 250 → 105; O3 8-h max spans the evening
        // before: (7 × 89.3 + 60) / 8 = 85.6375 → 42.8 → 43.
        #expect(station.days[1].concentrations.pm25Mean24h == nil)
        #expect(day2.value == 105)
        #expect(day2.dominant == .no2)
        #expect(day2.subIndex(.pm10)?.rounded == 40)
        #expect(day2.subIndex(.o3EightHour)?.rounded == 43)
        #expect(station.daysPerCategory == [.poor: 2])
        #expect(station.maximum?.aqi?.value == 110)
    }

    @Test("alerts raised, acknowledged and resolved; median times; open at the end")
    func alerts() throws {
        let fixture = try ReportFixture()
        let alerts = try #require(try fixture.document().alerts)
        #expect(alerts.raised == 4)
        #expect(alerts.acknowledged == 3)
        #expect(alerts.resolved == 3)
        #expect(alerts.openAtEnd == 2)
        #expect(alerts.unacknowledgedAtEnd == 1)
        #expect(alerts.raisedBySeverity == ["critical": 2, "warning": 2])
        #expect(alerts.raisedBySite == ["cage": 2, "town": 1, "beach": 1])
        // To acknowledge: 10 min, 30 min, 2 h → 30 min. To resolve: 2 h, 1 h → 1.5 h.
        #expect(alerts.medianSecondsToAcknowledge == 1800)
        #expect(alerts.medianSecondsToResolve == 5400)
        #expect(try fixture.document(alerts: false).alerts == nil, "no alert log is not zero alerts")
    }

    @Test("difficulties are drawn from the figures")
    func findings() throws {
        let fixture = try ReportFixture()
        let codes = try fixture.document().findings
        #expect(
            codes == [
                .silentSensor(sensor: "wq-b", site: "beach"),
                .frequentExceedance(site: "cage", metric: "do", exceeded: 10, evaluated: 40, averaging: .hour),
                .frequentExceedance(site: "cage", metric: "ph", exceeded: 3, evaluated: 46, averaging: .hour),
                .frequentExceedance(site: "town", metric: "pm25", exceeded: 1, evaluated: 1, averaging: .day),
                .poorAirQualityDays(sensor: "air-1", site: "town", days: 2, worst: 110),
                .unacknowledgedAlerts(count: 1),
            ])
    }

    @Test("a period still running is judged up to now; the charts carry daily means and references")
    func runningPeriodAndCharts() throws {
        let fixture = try ReportFixture()
        let builder = ReportBuilder(configuration: fixture.configuration, queries: fixture.queries, indicators: nil)
        // Half-way through the period: 24 hours of data expected, not 48.
        let document = try builder.build(period: ReportFixture.period, now: ReportFixture.time(hour: 24))
        #expect(document.dataUntil == ReportFixture.time(hour: 24))
        let wqA = try #require(document.network.sensors.first { $0.sensor == "wq-a" })
        #expect(wqA.expected == 288)
        #expect(wqA.received == 288)
        let charts = try fixture.document().charts
        #expect(
            charts.map { "\($0.site)/\($0.metric)" } == [
                "cage/do", "cage/ph", "beach/do", "town/pm25", "town/pm10", "town/no2", "town/o3",
            ])
        let cageDO = try #require(charts.first)
        // A two-day period is drawn hour by hour: 40 hourly means of DO.
        #expect(cageDO.statistic == .hourlyMean)
        #expect(cageDO.points.count == 40)
    }

    @Test("periods are local months, quarters and years; last-month for the timer")
    func periods() throws {
        let november = try #require(ReportPeriod.parse("2026-11"))
        #expect(RFC3339.format(november.from) == "2026-10-31T17:00:00Z")
        #expect(RFC3339.format(november.to) == "2026-11-30T17:00:00Z")
        #expect(november.days.count == 30)
        #expect(ReportPeriod.parse("2026-Q4")?.from == november.from.adding(milliseconds: -31 * 86_400_000))
        #expect(ReportPeriod.parse("2026")?.days.count == 365)
        // 00:30 on 1 January in Vietnam is still 31 December in UTC: last month is December.
        let newYear = RFC3339.parse("2027-01-01T00:30:00+07:00")!
        #expect(ReportPeriod.parse("last-month", now: newYear)?.label == "2026-12")
        #expect(ReportPeriod.parse("last-quarter", now: newYear)?.label == "2026-Q4")
        #expect(ReportPeriod.parse("last-year", now: newYear)?.label == "2026")
        for bad in ["2026-13", "2026-Q5", "26-11", "2026-1", "last-month", "november"] {
            #expect(ReportPeriod.parse(bad) == nil, "\(bad)")
        }
    }
}
