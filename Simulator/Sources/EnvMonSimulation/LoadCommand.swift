internal import ArgumentParser

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
