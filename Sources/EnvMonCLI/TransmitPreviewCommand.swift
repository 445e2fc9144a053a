package import ArgumentParser
internal import EnvMonConfig
internal import EnvMonCore
internal import EnvMonTransmission
internal import SystemSupport

/// `envmon transmit preview --station S --at T`: the exact bytes of the file for the interval
/// containing T (its name on stderr).
package struct TransmitPreviewCommand: OutputCommand {
    package static let configuration = CommandConfiguration(
        commandName: "preview", abstract: "Print the data file a station's interval gives (the name goes to stderr).")

    @OptionGroup package var store: StoreOptions
    @OptionGroup package var formatting: FormatOptions
    @Option(help: "The station code.") package var station: String
    @Option(
        parsing: .unconditional, help: "A time in the interval, or its end: RFC 3339, a date, or relative.",
        transform: TimeArgument.text)
    package var at: String

    package init() {}

    package func execute(into output: inout String) throws {
        let now = Timestamp(milliseconds: WallClock.nowMilliseconds())
        let time = try TimeArgument.parse(at, option: "--at", now: now)
        let (configuration, opened) = try TransmitCommand.open(store, writable: false)
        let station = try TransmitCommand.station(station, in: configuration)
        let builder = DataFileBuilder(configuration: configuration, queries: opened.readings)
        let end = builder.intervalEnd(containing: time)
        guard let file = try builder.file(station: station, intervalEnd: end) else {
            throw CLIError.nothingFound(
                "station \(station.id) has no readings in the interval ending \(Display.time(end))")
        }
        StandardStreams.write(file.name + "\n", to: 2)
        output += file.text
    }
}
