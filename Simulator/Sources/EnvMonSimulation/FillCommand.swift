internal import ArgumentParser
internal import EnvMonCore

/// `envmon-sim fill`: a store filled through the daemon's own ingest, for demos and reports.
struct FillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fill",
        abstract: "Store the simulated stream in a database through envmond's own ingest (no broker, no daemon).",
        discussion: """
            The messages of `generate` (faults, scenario and storms included) go through the daemon's
            decoding, validation, QC, writer and alert engine, each tick received at its simulated
            time, with the daemon's alert timer run every --timer of simulated time: the QC flags,
            rejects, gaps and alerts stored are envmond's own. Any period can be filled, however long
            ago; the same seed gives the same store. envmond must not run on the database meanwhile.
            scripts/render-report.sh makes the demo report's month with it.
            """)

    @OptionGroup var stream: StreamOptions

    @Option(help: "Database file (created if missing).")
    var db: String

    @Option(help: "Simulated time to cover (e.g. 30d).")
    var span = "1d"

    @Option(
        help: ArgumentHelp(
            "Simulated time between two runs of the alert timer.",
            discussion: "envmond: every second, rolling means once a minute. Longer is faster (the rolling "
                + "means read a day of roll-ups each time); no-data and rolling-mean alerts fire up to that late."))
    var timer = "1m"

    func run() throws {
        let now = wallClockMilliseconds()
        let (start, generator) = try stream.generator(now: now)
        var fill = FillRun(
            generator: generator, database: db, end: start + (try SimulatorTime.duration(span)),
            timer: try SimulatorTime.duration(timer))
        let began = monotonicNanoseconds()
        let figures = try fill.run { day, figures in
            Diagnostics.note(
                "envmon-sim fill: \(RFC3339.format(Timestamp(milliseconds: day))) \(figures.readingsStored) readings")
        }
        try fill.generator.manifest.finish(writingTo: stream.manifest)
        Diagnostics.note(
            "envmon-sim fill: \(figures.messages) messages → \(figures.readingsStored) readings stored, "
                + "\(figures.duplicates) duplicates, \(figures.rejects) rejects, \(figures.revisions) QC revisions "
                + "in \(format(Double(monotonicNanoseconds() - began) / 1e9, 1)) s")
    }
}
