import Foundation
import Testing

@testable import EnvMonCore

/// Agreement with the `ioos_qc` reference implementation: Fixtures/qartod_golden.json holds the
/// flags `ioos_qc.qartod` computed for whole series (see Fixtures/make_qartod_golden.py). Streaming
/// the same points through `QualityController` and applying its revisions must give the same
/// settled flags, per test and aggregate; the last point's spike stays not evaluated, as there.
@Suite("QualityController agrees with ioos_qc")
struct QualityControllerGoldenTests {
    static let fixture = QARTODGoldenFixture.load()

    @Test("The fixture was made by ioos_qc 2.x or 3.0 and covers the worked series")
    func fixtureProvenance() {
        #expect(Self.fixture.ioosQcVersion.hasPrefix("2.") || Self.fixture.ioosQcVersion.hasPrefix("3.0"))
        #expect(Self.fixture.cases.count >= 6)
        let tests = Set(Self.fixture.cases.flatMap(\.expected.keys))
        #expect(tests == ["gross_range", "spike", "rate_of_change", "flat_line", "aggregate"])
    }

    @Test("Settled flags match ioos_qc", arguments: [false, true])
    func settledFlagsMatch(nominalInterval: Bool) {
        for golden in Self.fixture.cases {
            let nominal = nominalInterval ? ["sensor": golden.intervalSeconds] : [:]
            var controller = QualityController(thresholds: golden.table, nominalIntervals: nominal)
            let outcome = QARTODGoldenStream.run(golden, through: &controller, series: golden.series)
            outcome.expectMatches(golden)
        }
    }

    @Test("Late and duplicate deliveries in between change nothing for the in-order points")
    func lateDeliveriesDoNotDisturb() {
        for golden in Self.fixture.cases {
            var controller = QualityController(thresholds: golden.table)
            let outcome = QARTODGoldenStream.run(golden, through: &controller, series: golden.series, redeliverEvery: 7)
            outcome.expectMatches(golden)
        }
    }

    @Test("Series interleaved through one controller keep separate state")
    func interleavedSeries() {
        let cases = Self.fixture.cases
        var table = QCThresholdTable()
        for golden in cases { table.bySeries[golden.series] = golden.thresholds }
        var controller = QualityController(thresholds: table)
        var outcomes = cases.map { QARTODGoldenStream.Outcome(count: $0.values.count) }
        let longest = cases.map(\.values.count).max() ?? 0
        for index in 0..<longest {
            for (caseIndex, golden) in cases.enumerated() where index < golden.values.count {
                let assessment = controller.assess(
                    series: golden.series, timestamp: golden.timestamp(index), value: golden.values[index])
                outcomes[caseIndex].record(assessment, at: index)
            }
        }
        #expect(controller.trackedSeriesCount == cases.count)
        for (golden, outcome) in zip(cases, outcomes) { outcome.expectMatches(golden) }
    }
}

/// Streams a golden series and keeps, per point, what a store would end up holding.
enum QARTODGoldenStream {
    struct Outcome {
        var results: [QCTestResults?]
        var stored: [QualityFlag?]
        var storedFlaggedBy: [QCTests]
        var timestamps: [Timestamp?]

        init(count: Int) {
            results = Array(repeating: nil, count: count)
            stored = Array(repeating: nil, count: count)
            storedFlaggedBy = Array(repeating: [], count: count)
            timestamps = Array(repeating: nil, count: count)
        }

        mutating func record(_ assessment: QCAssessment, at index: Int) {
            #expect(!assessment.isOutOfOrder)
            results[index] = assessment.results
            timestamps[index] = assessment.reading.timestamp
            stored[index] = assessment.reading.quality
            storedFlaggedBy[index] = assessment.reading.flaggedBy
            #expect(assessment.reading.quality == assessment.results.aggregate)
            guard index > 0 else {
                #expect(assessment.settledPrevious == nil && assessment.revision == nil)
                return
            }
            guard let settled = assessment.settledPrevious, let before = results[index - 1] else {
                Issue.record("point \(index) settled nothing")
                return
            }
            let changed = settled.aggregate != before.aggregate || settled.flaggedBy != before.flaggedBy
            #expect((assessment.revision != nil) == changed, "revision iff the verdict changed, point \(index - 1)")
            if let revision = assessment.revision {
                #expect(revision.timestamp == timestamps[index - 1] && revision.series == assessment.reading.series)
                stored[index - 1] = revision.quality
                storedFlaggedBy[index - 1] = revision.flaggedBy
            }
            results[index - 1] = settled
        }

        /// Compares flags as digit strings (one character a point, `-` for "not run") so a
        /// failure shows where the series disagree.
        func expectMatches(_ golden: QARTODGoldenCase) {
            for (name, test) in [
                ("gross_range", QCTests.grossRange), ("spike", .spike), ("rate_of_change", .rateOfChange),
                ("flat_line", .flatLine),
            ] {
                let actual = Self.render(results.map { $0?[test]?.rawValue })
                let expected =
                    golden.expected[name].map { Self.render($0) } ?? String(repeating: "-", count: results.count)
                #expect(actual == expected, "\(golden.name): \(name)")
            }
            let aggregate = Self.render(golden.expected["aggregate"] ?? [])
            #expect(Self.render(stored.map { $0?.rawValue }) == aggregate, "\(golden.name): stored aggregate")
            #expect(storedFlaggedBy == results.map { $0?.flaggedBy ?? [] }, "\(golden.name): stored flaggedBy")
        }

        static func render(_ flags: [UInt8?]) -> String { flags.map { $0.map(String.init) ?? "-" }.joined() }
        static func render(_ flags: [UInt8]) -> String { flags.map(String.init).joined() }
    }

    /// Streams `golden` in order; with `redeliverEvery`, after every that many points an earlier
    /// point and the newest one are delivered again (late and duplicate), which must be judged by
    /// gross range alone and leave the rest untouched.
    static func run(
        _ golden: QARTODGoldenCase, through controller: inout QualityController, series: SeriesKey,
        redeliverEvery: Int? = nil
    ) -> Outcome {
        var outcome = Outcome(count: golden.values.count)
        for index in golden.values.indices {
            let assessment = controller.assess(
                series: series, timestamp: golden.timestamp(index), value: golden.values[index])
            outcome.record(assessment, at: index)
            if let every = redeliverEvery, index > 2, index % every == 0 {
                for late in [index - 2, index] {
                    let again = controller.assess(
                        series: series, timestamp: golden.timestamp(late), value: golden.values[late])
                    #expect(again.isOutOfOrder && again.revision == nil && again.settledPrevious == nil)
                    #expect(again.results == QCTestResults(grossRange: again.results.grossRange))
                    #expect(again.results.grossRange?.rawValue == golden.expected["gross_range"]?[late])
                }
            }
        }
        return outcome
    }
}

struct QARTODGoldenFixture: Decodable {
    var ioosQcVersion: String
    var cases: [QARTODGoldenCase]

    static func load() -> QARTODGoldenFixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/qartod_golden.json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(QARTODGoldenFixture.self, from: Data(contentsOf: url))
        } catch {
            Issue.record("cannot load \(url.path): \(error)")
            return QARTODGoldenFixture(ioosQcVersion: "none", cases: [])
        }
    }
}

struct QARTODGoldenCase: Decodable {
    struct Thresholds: Decodable {
        var failSpan: [Double]?
        var suspectSpan: [Double]?
        var spikeSuspect: Double?
        var spikeFail: Double?
        var rateOfChangePerSecond: Double?
        var flatLineTolerance: Double?
        var flatLineSuspectSeconds: Double?
        var flatLineFailSeconds: Double?
    }

    var name: String
    var intervalSeconds: Double
    var times: [Int64]
    /// NaN where the fixture has null.
    var values: [Double]
    var rawThresholds: Thresholds
    var expected: [String: [UInt8]]

    enum CodingKeys: String, CodingKey {
        case name, intervalSeconds, times, values, expected
        case rawThresholds = "thresholds"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        intervalSeconds = try container.decode(Double.self, forKey: .intervalSeconds)
        times = try container.decode([Int64].self, forKey: .times)
        values = try container.decode([Double?].self, forKey: .values).map { $0 ?? .nan }
        rawThresholds = try container.decode(Thresholds.self, forKey: .rawThresholds)
        expected = try container.decode([String: [UInt8]].self, forKey: .expected)
    }

    var series: SeriesKey { SeriesKey(sensor: "sensor", metric: name) }

    func timestamp(_ index: Int) -> Timestamp { Timestamp(milliseconds: times[index] * 1000) }

    var thresholds: QCThresholds {
        let span = { (bounds: [Double]?) in bounds.map { $0[0]...$0[1] } }
        return QCThresholds(
            failSpan: span(rawThresholds.failSpan), suspectSpan: span(rawThresholds.suspectSpan),
            spikeSuspect: rawThresholds.spikeSuspect, spikeFail: rawThresholds.spikeFail,
            rateOfChangePerSecond: rawThresholds.rateOfChangePerSecond,
            flatLineTolerance: rawThresholds.flatLineTolerance,
            flatLineSuspectSeconds: rawThresholds.flatLineSuspectSeconds,
            flatLineFailSeconds: rawThresholds.flatLineFailSeconds)
    }

    var table: QCThresholdTable { QCThresholdTable(byMetric: [name: thresholds]) }
}
