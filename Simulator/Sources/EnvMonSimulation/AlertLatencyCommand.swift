internal import ArgumentParser

/// `envmon-sim alert-latency`: threshold crossing → journal notice, under load.
struct AlertLatencyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alert-latency",
        abstract: "Time threshold-crossing readings to their alert notices on the journal socket, under load.",
        discussion: """
            Binds --socket (start envmond with --journal-socket <that path> after it exists), waits
            until a --raise reading raises --rule (the daemon is up), then publishes the load stream at
            --rate and every --interval a reading of --metric for --sensor, alternately --raise and
            --clear, so the rule raises and resolves. Each crossing is matched to the rule's raised or
            resolved datagram in order; reports p50/p99/max of publish → datagram, the background
            rate achieved, and background readings lost (checked in --db). The rule needs for = "0s"
            and no flap suppression. Exit status 1 when notices are missing or readings were lost.
            """)

    @OptionGroup var load: LoadOptions

    @Option(help: "The daemon's database (envmond --db).")
    var db: String

    @Option(help: "Datagram socket to bind (envmond's --journal-socket).")
    var socket: String

    @Option(help: "Alert rule id to time.")
    var rule = "bench_do_low"

    @Option(help: "Sensor of the crossing readings (a configured one).")
    var sensor = "lh-wq-01"

    @Option(help: "Site of that sensor (topic level).")
    var site = "lan_ha"

    @Option(help: "Metric of the crossing readings.")
    var metric = "do"

    @Option(help: "Value that raises the rule.")
    var raise = 4.2

    @Option(help: "Value that resolves it (past the clear level).")
    var clear = 5.8

    @Option(help: "Threshold crossings to time (rounded up to even).")
    var crossings = 240

    @Option(help: "Time between crossings.")
    var interval = "250ms"

    @Option(help: "The daemon's process id, for its peak RSS.")
    var daemonPID: Int32?

    func validate() throws {
        guard crossings >= 2 else { throw ValidationError("--crossings must be at least 2") }
        guard load.rate > 0 else { throw ValidationError("--rate must be positive (background readings/s)") }
    }

    func run() throws {
        StopSignal.install()
        let interval = Duration.milliseconds(try SimulatorTime.duration(self.interval))
        let lead = Duration.seconds(2)
        var options = load
        options.count = AlertLatencyRun.backgroundCount(
            rate: load.rate, crossings: crossings + crossings % 2, interval: interval, lead: lead)
        var settings = AlertLatencyRun.Settings(
            broker: load.broker, database: db, socketPath: socket, rule: rule, sensor: sensor, site: site,
            metric: metric, raiseValue: raise, clearValue: clear, background: try options.loadStream())
        settings.crossings = crossings
        settings.interval = interval
        settings.lead = lead
        settings.backgroundRate = load.rate
        settings.qos = load.qos
        settings.window = load.window
        settings.daemonPID = daemonPID
        let report = try AlertLatencyRun(settings: settings).run()
        Diagnostics.output(load.json ? report.json() : report.table)
        if report.missing > 0 || report.backgroundLost > 0 { throw ExitCode(1) }
    }
}
