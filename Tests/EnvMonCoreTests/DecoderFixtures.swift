@testable import EnvMonCore

/// Shared inputs for the decoder and validator tests.
enum DecoderFixtures {
    /// 2026-11-29T03:00:00Z, a receive time used throughout.
    static let receivedAt = Timestamp(milliseconds: 1_795_921_200_000)

    static func context(
        topic: String = "cathai/lan_ha/cb3", prefix: String = "cathai", format: PayloadFormat = .auto,
        precision: TimePrecision = .nanoseconds, maximumPayloadBytes: Int = 64 * 1024,
        receivedAt: Timestamp = receivedAt
    ) -> DecodeContext {
        DecodeContext(
            topic: topic, topicPrefix: prefix, format: format, receivedAt: receivedAt, precision: precision,
            maximumPayloadBytes: maximumPayloadBytes)
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    static func metric(_ id: String) -> MetricDefinition {
        guard let definition = MetricCatalogue.standard.definition(named: id) else {
            fatalError("no standard metric \(id)")
        }
        return definition
    }

    /// |a - b| within a relative tolerance (or an absolute one near zero).
    static func close(_ a: Double?, _ b: Double, tolerance: Double = 1e-9) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= tolerance * max(1, abs(b))
    }
}
