internal import ArgumentParser

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
