/// A fault that lasts a while on one sensor (flat line, drift, silence, burst, excursion): when
/// it runs, and what it holds meanwhile.
struct FaultEpisode: Sendable {
    var kind: FaultKind
    var sensor: String
    /// The metric a flat line, drift or excursion acts on.
    var metric: String?
    var start: Int64
    var end: Int64
    /// Drift per hour, the excursion's level, or the value the fault spec gave.
    var value: Double?
    /// Flat line: the value the logger repeats.
    var stuck: Double?
    /// Burst: the messages held back until the episode ends.
    var buffered: [OutgoingMessage] = []
    /// Its event in the manifest (nil beyond `Manifest.maximumEvents`).
    var event: Int?
    /// The last reading it touched: the event's end.
    var lastPoint: Int64?

    /// True when it acts on this sensor's reading at `time`.
    func acts(on sensor: String, at time: Int64) -> Bool {
        self.sensor == sensor && start <= time
    }

    /// What a flat line, drift or excursion makes of the value `current` of its metric at `time`;
    /// nil when it leaves the value alone. `lastValue` is the value last sent on the series.
    mutating func shaped(_ current: Double, at time: Int64, lastValue: Double?) -> Double? {
        switch kind {
        case .flatLine:
            // The logger repeats the last value it had.
            let stuck = self.stuck ?? lastValue ?? current
            self.stuck = stuck
            return stuck
        case .drift:
            return current + (value ?? 0) * Double(time - start) / Double(SimulationClock.hour)
        case .excursion:
            guard let target = value else { return nil }
            // Ramp 15 minutes down, hold, ramp 15 minutes back: slow enough for rate-of-change QC.
            let ramp = Double(15 * SimulationClock.minute)
            let intoEpisode = Double(time - start)
            let untilEnd = Double(end - time)
            let weight = max(0, min(1, min(intoEpisode / ramp, untilEnd / ramp)))
            return current + (target - current) * weight
        default:
            return nil
        }
    }
}
