import EnvMonConfig
import EnvMonCore
import EnvMonStore
import EnvMonTransmission
import Testing

@Suite("TT 10/2021 data files: layout, values from the roll-ups, status of a probe not measuring")
struct DataFileTests {
    @Test("name in Vietnam time, TAB-separated lines, CRLF, fixed decimals")
    func layout() {
        let file = TT10DataFile(
            province: "HP", facility: "CATHAI", station: "LANHA01", time: TransmissionFixture.minutes(5),
            lines: [
                .init(code: "pH", value: 8.125, unit: "-", status: .measuring),
                .init(code: "Temp", value: -0.004, unit: "oC", status: .calibrating),
                .init(code: "DO", value: 12, unit: "mg/L", status: .deviceError),
            ])
        #expect(file.name == "HP_CATHAI_LANHA01_20261129100500.txt")
        #expect(
            file.text
                == "pH\t8.13\t-\t20261129100500\t00\r\nTemp\t0.00\toC\t20261129100500\t01\r\nDO\t12.00\tmg/L\t20261129100500\t02\r\n"
        )
        #expect(TT10DataFile.stamp(Timestamp(milliseconds: 1_767_200_399_000)) == "20251231235959")
    }

    @Test("the interval's mean from the roll-ups; calibration readings carry 01 and stay out of the mean")
    func valuesAndStatus() throws {
        let fixture = try TransmissionFixture(targets: "")
        // Minutes 5-9 form the second interval; pH calibrates in minutes 8 and 9.
        try fixture.fill(minutes: 10, calibratingPH: [8, 9])
        let station = fixture.configuration.transmission.stations[0]
        let first = try #require(
            try fixture.builder.file(station: station, intervalEnd: TransmissionFixture.minutes(5)))
        #expect(first.name == "HP_CATHAI_LANHA01_20261129100500.txt")
        // water_temp 28.0..28.4 → 28.2; DO 6,7,8,6,7 → 6.8; pH 8.1.
        #expect(
            first.text
                == "Temp\t28.20\toC\t20261129100500\t00\r\npH\t8.10\t-\t20261129100500\t00\r\nDO\t6.80\tmg/L\t20261129100500\t00\r\n"
        )
        let second = try #require(
            try fixture.builder.file(station: station, intervalEnd: TransmissionFixture.minutes(10)))
        #expect(second.text.contains("pH\t7.00\t-\t20261129101000\t01\r\n"), "\(second.text)")
        #expect(try fixture.builder.file(station: station, intervalEnd: TransmissionFixture.minutes(20)) == nil)
    }

    @Test("the scheduler makes each closed interval once, in order, and not the open one")
    func scheduler() throws {
        let fixture = try TransmissionFixture(
            targets: """
                [[transmission.targets]]
                id = "so"
                url = "ftp://127.0.0.1:1/in/"
                """)
        try fixture.fill(minutes: 30)
        // First run: starts from the interval closing next (no history unasked).
        #expect(try fixture.scheduler.makeDue(now: TransmissionFixture.minutes(12)) == 0)
        #expect(try fixture.scheduler.makeDue(now: TransmissionFixture.minutes(27)) == 3)
        #expect(try fixture.scheduler.makeDue(now: TransmissionFixture.minutes(29)) == 0)
        let files = try fixture.outbox.dataFiles(
            from: TransmissionFixture.minutes(0), to: TransmissionFixture.minutes(60))
        #expect(
            files.map(\.name) == [
                "HP_CATHAI_LANHA01_20261129101500.txt", "HP_CATHAI_LANHA01_20261129102000.txt",
                "HP_CATHAI_LANHA01_20261129102500.txt",
            ])
        // resend makes the ones never made and queues the made ones again.
        let again = try fixture.scheduler.resend(
            station: nil, target: nil, from: TransmissionFixture.minutes(5), to: TransmissionFixture.minutes(15),
            now: TransmissionFixture.minutes(29))
        #expect(again == 3)
    }
}
