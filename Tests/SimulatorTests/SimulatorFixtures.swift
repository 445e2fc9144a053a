import EnvMonConfig
import EnvMonCore
import EnvMonSimulation
import EnvMonStore
import Foundation
import Testing

enum SimulatorFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var configPath: String { root.appendingPathComponent("Config/envmon.toml").path }

    static func configuration() throws -> EnvMonConfiguration {
        try EnvMonConfiguration.load(path: configPath)
    }

    static func time(_ text: String) -> Int64 { RFC3339.parse(text)!.milliseconds }
}

extension SimulatorFixtures {
    static func firstTime(_ manifest: Manifest) -> Int64 { RFC3339.parse(manifest.start)?.milliseconds ?? .min }

    static func lastTime(_ manifest: Manifest) -> Int64 { RFC3339.parse(manifest.end)?.milliseconds ?? .max }

    /// Each injected spike and out-of-range value is stored as sent and QC failed it.
    static func expectInjectedValues(_ manifest: Manifest, in queries: any ReadingQueries) throws {
        for event in manifest.events where event.kind == .spike || event.kind == .outOfRange {
            let series = SeriesKey(sensor: event.sensor, metric: event.metric!)
            let time = Timestamp(milliseconds: event.time)
            let stored = try queries.readings(of: series, from: time, to: time.adding(milliseconds: 1))
            #expect(stored.count == 1, "\(event)")
            guard let reading = stored.first else { continue }
            #expect(reading.value == event.value)
            if event.kind == .outOfRange {
                #expect(reading.quality == .fail && reading.flaggedBy.contains(.grossRange), "\(event) → \(reading)")
            } else if event.time > firstTime(manifest), event.time < lastTime(manifest) {
                // Judged against the readings before and after: settled by the next one.
                #expect(reading.quality == .fail && reading.flaggedBy.contains(.spike), "\(event) → \(reading)")
            }
        }
    }
}
