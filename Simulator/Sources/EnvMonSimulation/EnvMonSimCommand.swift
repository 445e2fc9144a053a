public import ArgumentParser
internal import EnvMonConfig
internal import EnvMonCore
internal import Foundation

/// `envmon-sim`: the Cát Hải network in software, fault injection, and the load benchmark tools.
public struct EnvMonSimCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "envmon-sim",
        abstract: "Simulate the Cát Hải sensor network over MQTT, inject faults, and measure ingest.",
        discussion: """
            Topics follow the config: <prefix>/<site>/<sensor>/<metric> for plain numbers,
            <prefix>/<site>/<sensor> for JSON, SenML and line protocol.
            Exit codes: 0 ok, 1 failure (or readings lost in load mode), 2 bad usage.
            """,
        subcommands: [
            RunCommand.self, GenerateCommand.self, LoadCommand.self, SinkCommand.self, RawSQLiteCommand.self,
            PrefillCommand.self, AlertLatencyCommand.self,
        ],
        defaultSubcommand: RunCommand.self)

    public init() {}
}

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

extension PayloadStyle: ExpressibleByArgument {}

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
        try finish(manifest, path: stream.manifest)
    }
}

func finish(_ manifest: Manifest, path: String?) throws {
    if let path { try manifest.write(to: path) }
    var summary =
        "envmon-sim: sent \(manifest.messagesPublished) messages, \(manifest.readingsSent) readings "
        + "(\(manifest.start) .. \(manifest.end)); expected stored \(manifest.expected.readingsStored)"
    let faults = manifest.faults.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.injected)" }
    if !faults.isEmpty { summary += "; faults " + faults.joined(separator: " ") }
    if !manifest.expected.rejects.isEmpty {
        summary +=
            "; expected rejects "
            + manifest.expected.rejects.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            .joined(separator: " ")
    }
    Diagnostics.note(summary)
}

/// `envmon-sim generate`: the same stream, offline, to stdout.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write the simulated stream to stdout as `topic<TAB>payload` lines (no broker).")

    @OptionGroup var stream: StreamOptions

    @Option(help: "Simulated time to cover (e.g. 1d).")
    var span = "1h"

    func run() throws {
        let now = wallClockMilliseconds()
        let (configuration, start, faults, storms) = try stream.load(now: now)
        let end = start + (try SimulatorTime.duration(span))
        var generator = try TrafficGenerator(
            configuration: configuration, seed: stream.seed, start: start, style: stream.format, faults: faults,
            storms: storms, stormFrequency: stream.storms, allowPlain: true)
        var buffer = ""
        while generator.nextTime < end {
            let tick = generator.nextTick(now: generator.nextTime)
            for message in tick.messages {
                buffer += message.topic + "\t" + String(decoding: message.payload.prefix(2048), as: UTF8.self) + "\n"
            }
            if buffer.utf8.count > 1 << 16 {
                Diagnostics.output(buffer)
                buffer = ""
            }
        }
        for message in generator.finish() {
            buffer += message.topic + "\t" + String(decoding: message.payload.prefix(2048), as: UTF8.self) + "\n"
        }
        Diagnostics.output(buffer)
        try finish(generator.manifest, path: stream.manifest)
    }
}

/// Options shared by `load` and `sink`: the load stream.
struct LoadOptions: ParsableArguments {
    @Option(help: "Broker URL.")
    var broker = "mqtt://127.0.0.1:1883"

    @Option(help: "Readings to send.")
    var count = 100_000

    @Option(help: "Readings per second (0 = as fast as the in-flight window allows).")
    var rate = 0.0

    @Option(help: "QoS 0, 1 or 2.")
    var qos: UInt8 = 1

    @Option(help: "Readings per message: 1 (JSON with ts and seq) or N (SenML packs of N).")
    var pack = 1

    @Option(help: "Distinct series (sensors ld<run>-<n>, metric water_temp).")
    var series = 1000

    @Option(help: "Time between readings of one series (e.g. 1s).")
    var step = "1s"

    @Option(help: "Topic prefix (the daemon subscribes <prefix>/+/+).")
    var topicPrefix = "cathai"

    @Option(help: "Run id in the sensor names (default: random).")
    var runID: String?

    @Option(help: "Messages in flight at most (flow control).")
    var window = 2000

    @Flag(help: "Print the report as one JSON line.")
    var json = false

    @Flag(
        help:
            "Plain numbers on <prefix>/bench/<sensor>/water_temp, without a time of their own (counted by distinct value; no latency samples)."
    )
    var untimed = false

    func loadStream() throws -> LoadStream {
        guard pack >= 1, pack <= 1000 else { throw ValidationError("--pack must be 1...1000") }
        guard !untimed || pack == 1 else { throw ValidationError("--untimed sends one reading per message: no --pack") }
        guard !untimed || count <= 1_000_000 else { throw ValidationError("--untimed counts up to 1000000 readings") }
        let step = try SimulatorTime.duration(self.step)
        let runID = self.runID ?? String(UInt32.random(in: 0...UInt32.max) % 0xFFFFF, radix: 16)
        return LoadStream(
            runID: runID, series: series, step: step,
            base: untimed
                ? wallClockMilliseconds() - 60_000
                : LoadStream.base(count: count, series: series, step: step, now: wallClockMilliseconds()),
            count: count, pack: pack, topicPrefix: topicPrefix, untimed: untimed)
    }

    func show(_ report: LoadReport) {
        Diagnostics.output(json ? report.json() : report.table)
    }
}

/// `envmon-sim load`: the daemon's ingest under load.
struct LoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Publish sequence-numbered readings and wait until all are visible in the daemon's database.",
        discussion: """
            Reports publish rate, stored rate (first publish → last reading visible), end-to-end
            latency p50/p99 on a sample of sequence numbers (publish → visible, polled every 10 ms),
            readings lost (must be 0), duplicates, and the daemon's peak RSS (--daemon-pid).
            Exit status 1 when readings were lost (or, with --untimed, stored twice).
            """)

    @OptionGroup var load: LoadOptions

    @Option(help: "The daemon's database (envmond --db).")
    var db: String

    @Option(help: "The daemon's process id, for its peak RSS (VmHWM).")
    var daemonPID: Int32?

    @Option(help: "Sequence numbers whose latency is measured.")
    var latencySamples = 2000

    @Option(help: "Give up when nothing new is stored for this long.")
    var idleTimeout = "60s"

    func run() throws {
        StopSignal.install()
        var settings = LoadRun.Settings(broker: load.broker, database: db, stream: try load.loadStream())
        settings.qos = load.qos
        settings.rate = load.rate
        settings.window = load.window
        settings.daemonPID = daemonPID
        settings.latencySamples = latencySamples
        settings.idleTimeout = .milliseconds(try SimulatorTime.duration(idleTimeout))
        let report = try LoadRun(settings: settings).run()
        load.show(report)
        if report.lost > 0 || (report.storedTwice ?? 0) > 0 { throw ExitCode(1) }
    }
}

/// `envmon-sim sink`: the broker's delivery ceiling.
struct SinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sink",
        abstract:
            "Count messages on a topic filter (the broker → subscriber ceiling), optionally publishing the load stream."
    )

    @OptionGroup var load: LoadOptions

    @Option(help: "Topic filter (default <topic-prefix>/#). Use a prefix the daemon does not subscribe to.")
    var filter: String?

    @Flag(help: "Publish the load stream in-process (else wait for --count readings from another publisher).")
    var publish = false

    @Option(help: "Give up when nothing arrives for this long.")
    var idleTimeout = "30s"

    func run() throws {
        StopSignal.install()
        let stream = try load.loadStream()
        var settings = SinkRun.Settings(
            broker: load.broker, filter: filter ?? "\(load.topicPrefix)/#", expected: stream.messageCount)
        settings.qos = load.qos
        settings.stream = publish ? stream : nil
        settings.rate = load.rate
        settings.window = load.window
        settings.idleTimeout = .milliseconds(try SimulatorTime.duration(idleTimeout))
        let report = try SinkRun(settings: settings).run()
        load.show(report)
    }
}

/// `envmon-sim raw-sqlite`: the storage ceiling.
struct RawSQLiteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "raw-sqlite",
        abstract: "Batched inserts into a fresh table shaped like a raw partition: SQLite's own ceiling.")

    @Option(help: "Database file (replaced).")
    var db = "/tmp/envmon-raw-sqlite.db"

    @Option(help: "Rows to insert.")
    var rows = 2_000_000

    @Option(help: "Rows per transaction.")
    var batch = 2000

    @Option(help: "Distinct series.")
    var series = 1000

    @Flag(help: "Print one JSON line.")
    var json = false

    func run() throws {
        let result = try RawSQLiteBench(path: db, rows: rows, batch: batch, series: series).run()
        let rate = Double(result.rows) / max(1e-9, result.seconds)
        if json {
            Diagnostics.output(
                "{\"rows\":\(result.rows),\"seconds\":\(format(result.seconds, 3)),\"rate\":\(format(rate, 0))}\n")
        } else {
            Diagnostics.output(
                "raw sqlite      \(result.rows) rows in \(format(result.seconds, 2)) s = \(format(rate, 0)) rows/s "
                    + "(batches of \(batch))\n")
        }
    }
}

/// `envmon-sim prefill`: history for the growth benchmark and the CLI query times.
struct PrefillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prefill",
        abstract: "Write synthetic history straight into an EnvMon database with the daemon's writer (daemon stopped).")

    @Option(help: "Database file (created if missing).")
    var db: String

    @Option(help: "Series to write (sensors pf-NNN, --metrics-per-sensor metrics each).")
    var series = 50

    @Option(help: "Metrics per sensor, 1-5 (water_temp, salinity, ph, do, turbidity, in this order).")
    var metricsPerSensor = 5

    @Option(help: "Sites pf-site-NN the sensors are spread over, round-robin (0: all at site prefill).")
    var sites = 0

    @Option(help: "Index of the first series (to extend an earlier prefill).")
    var firstSeries = 0

    @Option(help: "Interval of each series.")
    var every = "1m"

    @Option(help: "How far back from --end.")
    var span = "365d"

    @Option(help: "End of the history: now, -1h or RFC 3339.")
    var end = "-10m"

    @Flag(help: "Print one JSON line.")
    var json = false

    func validate() throws {
        guard (1...Prefill.metrics.count).contains(metricsPerSensor) else {
            throw ValidationError("--metrics-per-sensor must be 1 to \(Prefill.metrics.count)")
        }
        guard sites >= 0 else { throw ValidationError("--sites must be 0 or more") }
    }

    func run() throws {
        let now = wallClockMilliseconds()
        let prefill = Prefill(
            path: db, series: series, firstSeries: firstSeries, every: try SimulatorTime.duration(every),
            span: try SimulatorTime.duration(span), end: try SimulatorTime.parse(end, now: now),
            metricsPerSensor: metricsPerSensor, sites: sites)
        let result = try prefill.run { written in Diagnostics.note("envmon-sim prefill: \(written) readings") }
        let rate = Double(result.readings) / max(1e-9, result.seconds)
        if json {
            Diagnostics.output(
                "{\"readings\":\(result.readings),\"seconds\":\(format(result.seconds, 1)),\"rate\":\(format(rate, 0))}\n"
            )
        } else {
            Diagnostics.output(
                "prefill         \(result.readings) readings in \(format(result.seconds, 1)) s = \(format(rate, 0)) readings/s\n"
            )
        }
    }
}
