package import ArgumentParser
internal import EnvMonConfig
internal import EnvMonStore

/// `envmon transmit`: the link to the Sở TN&MT (TT 10/2021 data files) and the webhooks.
package struct TransmitCommand: ParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "transmit",
        abstract: "Watch and steer what envmond sends out: data files for the Sở TN&MT, alert webhooks.",
        subcommands: [
            TransmitStatusCommand.self, TransmitListCommand.self, TransmitResendCommand.self,
            TransmitPreviewCommand.self,
        ],
        defaultSubcommand: TransmitStatusCommand.self)

    package init() {}

    static func open(_ store: StoreOptions, writable: Bool) throws -> (EnvMonConfiguration, Store) {
        guard let configuration = try store.loadConfiguration(required: true) else {
            throw CLIError("no config file: pass --config FILE")
        }
        return (configuration, try store.open(writable ? .queueRequests : .read))
    }

    static func station(_ id: String, in configuration: EnvMonConfiguration) throws -> StationSettings {
        guard let station = configuration.transmission.stations.first(where: { $0.id == id }) else {
            let known = configuration.transmission.stations.map(\.id)
            throw CLIError(
                "unknown station \"\(id)\" (configured: \(known.isEmpty ? "none, see [transmission]" : known.joined(separator: ", ")))"
            )
        }
        return station
    }
}
