internal import ArgumentParser
internal import EnvMonConfig

/// Options shared by `run` and `generate`: what the network produces.
struct StreamOptions: ParsableArguments {
    @Option(help: "Config file (the network: sites, sensors, metrics, topic prefix).")
    var config = "Config/envmon.toml"

    @Option(help: "Payload format: plain, json, senml, line or mix (each sensor its own format).")
    var format: PayloadStyle = .mix

    @Option(help: "Seed: the same seed, start and options give the same stream.")
    var seed: UInt64 = 1

    @Option(help: "First simulated time: now, -3h (before now), or RFC 3339. Default: now.")
    var start = "now"

    @Option(
        name: .customLong("fault"),
        help: ArgumentHelp(
            "Inject a fault: KIND (at --fault-rate), KIND:RATE (probability per reading), or KIND@+30m "
                + "(once, 30 min after --start). Repeatable. Kinds: "
                + FaultKind.allCases.map(\.rawValue).joined(separator: ", ")))
    var faults: [String] = []

    @Option(help: "Default probability per reading for --fault KIND.")
    var faultRate = 0.002

    @Option(help: "Scenario file (JSON): scheduled storms and faults.")
    var scenario: String?

    @Option(help: "Unscheduled storms relative to the climatology (0 = none).")
    var storms = 1.0

    @Option(help: "Write the manifest (what was sent and injected, and what the daemon should make of it) here.")
    var manifest: String?

    func load(now: Int64) throws -> (EnvMonConfiguration, start: Int64, faults: [FaultSpec], storms: [Weather.Storm]) {
        let configuration: EnvMonConfiguration
        do {
            configuration = try EnvMonConfiguration.load(path: config)
        } catch {
            throw ValidationError("invalid configuration \(config):\n\(error)")
        }
        let start = try SimulatorTime.parse(self.start, now: now)
        var specs = try faults.map { try FaultSpec.parse($0, defaultRate: faultRate) }
        var storms: [Weather.Storm] = []
        if let scenario {
            let loaded = try Scenario.load(path: scenario)
            specs += loaded.faults ?? []
            for storm in loaded.storms ?? [] {
                storms.append(
                    Weather.Storm(
                        start: try SimulatorTime.parse(storm.at, now: now, base: start),
                        duration: try SimulatorTime.duration(storm.duration ?? "30h"), strength: storm.strength ?? 0.8))
            }
        }
        return (configuration, start, specs, storms)
    }
}

extension StreamOptions {
    /// The generator these options describe, plain numbers allowed (readings go out at their own
    /// time), and its first simulated time.
    func generator(now: Int64) throws -> (start: Int64, generator: TrafficGenerator) {
        let (configuration, start, faults, storms) = try load(now: now)
        let generator = try TrafficGenerator(
            configuration: configuration, seed: seed, start: start, style: format, faults: faults, storms: storms,
            stormFrequency: self.storms, allowPlain: true)
        return (start, generator)
    }
}

extension PayloadStyle: ExpressibleByArgument {}
