internal import ArgumentParser

/// `envmon-sim run`: publish the network to a broker.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Publish the simulated network: in real time, replayed faster (--time-scale), or at --rate.",
        discussion: """
            Real time: one reading per sensor per configured interval. With --start in the past and
            --time-scale N the past is replayed N times faster with embedded timestamps, then the run
            goes on in real time (the daemon rejects readings from the future). Stops after --duration
            (wall clock), --span (simulated time) or --count (messages), or on SIGINT/SIGTERM, and then
            writes the manifest.
            """)

    @OptionGroup var stream: StreamOptions

    @Option(help: "Broker URL (default: broker.url from the config).")
    var broker: String?

    @Option(help: "QoS 0, 1 or 2.")
    var qos: UInt8 = 1

    @Option(help: "Replay speed: simulated seconds per wall-clock second.")
    var timeScale = 1.0

    @Option(help: "Stop after this wall-clock time (e.g. 60s, 10m).")
    var duration: String?

    @Option(help: "Stop after this much simulated time (e.g. 8h).")
    var span: String?

    @Option(help: "Stop after this many messages.")
    var count: Int?

    @Option(help: "Publish at this many messages per second instead of the sensors' intervals.")
    var rate: Double?

    @Option(help: "MQTT client id (default: random).")
    var clientID: String?

    func validate() throws {
        guard qos <= 2 else { throw ValidationError("--qos must be 0, 1 or 2") }
        guard timeScale > 0 else { throw ValidationError("--time-scale must be positive") }
        if let rate, rate <= 0 { throw ValidationError("--rate must be positive") }
    }

    func run() throws {
        StopSignal.install()
        let now = wallClockMilliseconds()
        let (configuration, start, faults, storms) = try stream.load(now: now)
        var settings = SimulationRun.Settings(broker: broker ?? configuration.broker.url, start: start)
        settings.qos = qos
        settings.style = stream.format
        settings.seed = stream.seed
        settings.timeScale = timeScale
        settings.duration = try duration.map { try SimulatorTime.duration($0) }
        settings.span = try span.map { try SimulatorTime.duration($0) }
        settings.count = count
        settings.rate = rate
        settings.faults = faults
        settings.storms = storms
        settings.stormFrequency = stream.storms
        settings.clientID = clientID
        if rate != nil, stream.start == "now" {
            // Rate mode runs ahead of the sensors' clocks: start far enough back to stay in the past.
            settings.start = now - 6 * 86_400_000
        }
        let manifest = try SimulationRun(configuration: configuration, settings: settings).run()
        try manifest.finish(writingTo: stream.manifest)
    }
}
