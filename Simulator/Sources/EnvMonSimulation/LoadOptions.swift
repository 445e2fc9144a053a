internal import ArgumentParser

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
