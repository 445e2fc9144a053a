internal import ArgumentParser

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
        var (start, generator) = try stream.generator(now: now)
        let end = start + (try SimulatorTime.duration(span))
        var buffer = ""
        while generator.nextTime < end {
            let tick = generator.nextTick(now: generator.nextTime)
            for message in tick.messages {
                buffer += Self.line(message)
            }
            if buffer.utf8.count > 1 << 16 {
                Diagnostics.output(buffer)
                buffer = ""
            }
        }
        for message in generator.finish() {
            buffer += Self.line(message)
        }
        Diagnostics.output(buffer)
        try generator.manifest.finish(writingTo: stream.manifest)
    }

    /// `topic<TAB>payload`, the payload cut at 2 KiB (an oversize fault would fill the screen).
    static func line(_ message: OutgoingMessage) -> String {
        message.topic + "\t" + String(decoding: message.payload.prefix(2048), as: UTF8.self) + "\n"
    }
}
