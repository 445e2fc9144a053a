import EnvMonConfig
import EnvMonSimulation
import Testing

@Suite("determinism: the same seed gives the same stream")
struct DeterminismTests {
    static func stream(seed: UInt64, style: PayloadStyle = .mix) throws -> ([OutgoingMessage], Manifest) {
        let configuration = try SimulatorFixtures.configuration()
        let start = SimulatorFixtures.time("2026-07-20T00:00:00Z")
        let faults: [FaultSpec] = [
            FaultSpec(kind: .spike, rate: 0.01), FaultSpec(kind: .malformed, rate: 0.01),
            FaultSpec(kind: .duplicate, rate: 0.01), FaultSpec(kind: .flatLine, rate: 0.001),
            FaultSpec(kind: .silence, sensor: "cb-tide-01", at: "+2h", duration: "20m"),
            FaultSpec(kind: .excursion, site: "lan_ha", metric: "do", at: "+3h", duration: "1h", value: 4.2),
        ]
        var generator = try TrafficGenerator(
            configuration: configuration, seed: seed, start: start, style: style, faults: faults)
        var messages: [OutgoingMessage] = []
        while generator.nextTime < start + 6 * 3_600_000 {
            messages += generator.nextTick(now: generator.nextTime).messages
        }
        messages += generator.finish()
        return (messages, generator.manifest)
    }

    @Test("same seed → identical messages and manifest; another seed → different values")
    func sameSeedSameStream() throws {
        let (first, firstManifest) = try Self.stream(seed: 42)
        let (second, secondManifest) = try Self.stream(seed: 42)
        let (other, _) = try Self.stream(seed: 43)
        #expect(first.count > 5000)
        #expect(first == second)
        #expect(firstManifest.messagesPublished == secondManifest.messagesPublished)
        #expect(firstManifest.events == secondManifest.events)
        #expect(firstManifest.messagesPublished == first.count)
        #expect(first.map(\.payload) != other.map(\.payload))
        // The scheduled excursion takes DO at Lan Hạ below the QCVN 5 mg/L aquaculture limit.
        let lanHaDO = first.compactMap { message -> Double? in
            guard message.topic.hasSuffix("/lh-do-02") || message.topic.hasSuffix("/lh-wq-01") else { return nil }
            guard let range = message.text.range(of: "do\\\":", options: []) ?? message.text.range(of: "do=")
            else { return nil }
            return Double(message.text[range.upperBound...].prefix { $0.isNumber || $0 == "." })
        }
        #expect(lanHaDO.contains { $0 < 5 })
    }
}
