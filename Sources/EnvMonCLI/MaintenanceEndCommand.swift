package import ArgumentParser
internal import EnvMonCore
internal import EnvMonStore
internal import SystemSupport

/// `envmon maintenance end SENSOR [--metric M]`.
package struct MaintenanceEndCommand: OutputCommand {
    package static let configuration = CommandConfiguration(
        commandName: "end", abstract: "End the open maintenance window of a sensor now.")

    @OptionGroup package var store: StoreOptions
    @OptionGroup package var formatting: FormatOptions
    @Argument(help: "The sensor id.") package var sensor: String
    @Option(help: "Only the window of this metric.") package var metric: String?
    @Option(help: "Who ends it.") package var by: String?
    @Option(help: "Seconds to wait for envmond to confirm.") package var wait: Int = 5

    package init() {}

    package func validate() throws {
        if let by { try MaintenanceCommand.validateName(by, option: "--by") }
        guard (0...60).contains(wait) else { throw ValidationError("--wait must be between 0 and 60 seconds") }
    }

    package func execute(into output: inout String) throws {
        let now = Timestamp(milliseconds: WallClock.nowMilliseconds())
        // An end request carries the time it takes effect as the window's start.
        let window = MaintenanceWindow(sensor: sensor, metric: metric, kind: .maintenance, start: now, by: by)
        guard let request = try MaintenanceCommand.submit(.end, window, store: store, wait: wait, into: &output)
        else { return }
        output += "maintenance window \(request.windowID ?? 0) on \(window.scope) ended at \(Display.time(now))\n"
    }
}
