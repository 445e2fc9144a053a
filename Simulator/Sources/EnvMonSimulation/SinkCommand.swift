internal import ArgumentParser

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
