import EnvMonWeb
import Testing

@Suite struct SparklineTests {
    static let minute: Int64 = 60_000
    static let start: Int64 = 1_780_000_000_000

    @Test func gapsBreakTheLineAndTheLastPointIsADot() throws {
        // 20 readings a minute apart, with ten minutes missing after the eighth.
        let values: [(time: Int64, value: Double)] = (0..<20).map { index in
            let minutes = Int64(index < 8 ? index : index + 10)
            return (time: Self.start + minutes * Self.minute, value: Double(index % 5))
        }
        let root = try SVGTree.parse(
            Sparkline.svg(values: values, from: Self.start, to: Self.start + 30 * Self.minute))
        #expect(root["data-points"] == "20")
        #expect(root["viewBox"] == "0 0 120 28")
        let runs = root.elements(class: "spark")
        #expect(runs.map { $0.name } == ["polyline", "polyline"])
        #expect(runs.map(\.vertices.count) == [8, 12])
        let last = try #require(root.elements(class: "spark-last").first)
        let end = try #require(runs.last?.vertices.last)
        #expect(last.double("cx") == end.x && last.double("cy") == end.y)
        let allX = runs.flatMap(\.vertices).map(\.x)
        #expect(allX == allX.sorted() && allX.min()! >= 0 && allX.max()! <= 120)
    }

    /// Against the median spacing (5 min): 12 min (2.4×) continues the line, 13 min (2.6×) breaks it.
    @Test func theGapRuleFollowsTheMedianSpacing() throws {
        let offsets: [Int64] = [0, 5, 10, 15, 27, 32, 37, 50, 55, 60]
        let values = offsets.map { (time: Self.start + $0 * Self.minute, value: Double($0)) }
        let root = try SVGTree.parse(
            Sparkline.svg(values: values, from: Self.start, to: Self.start + 60 * Self.minute, width: 200, height: 40))
        #expect(root.elements(class: "spark").map(\.vertices.count) == [7, 3])
        #expect(root["viewBox"] == "0 0 200 40")
    }

    @Test func valuesOutsideThePeriodAndEmptyInput() throws {
        let values = [(time: Self.start - Self.minute, value: 1.0), (time: Self.start + Self.minute, value: 2.0)]
        let one = try SVGTree.parse(Sparkline.svg(values: values, from: Self.start, to: Self.start + 10 * Self.minute))
        #expect(one["data-points"] == "1")
        #expect(one.elements("polyline").map(\.vertices.count) == [1])
        let empty = try SVGTree.parse(Sparkline.svg(values: [], from: Self.start, to: Self.start + Self.minute))
        #expect(empty["data-points"] == "0")
        #expect(empty.elements("polyline").isEmpty)
        #expect(empty.elements(class: "spark-empty").count == 1)
    }
}
