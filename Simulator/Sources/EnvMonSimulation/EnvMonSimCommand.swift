package import ArgumentParser

/// `envmon-sim`: the Cát Hải network in software, fault injection, and the load benchmark tools.
package struct EnvMonSimCommand: ParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "envmon-sim",
        abstract: "Simulate the Cát Hải sensor network over MQTT, inject faults, and measure ingest.",
        discussion: """
            Topics follow the config: <prefix>/<site>/<sensor>/<metric> for plain numbers,
            <prefix>/<site>/<sensor> for JSON, SenML and line protocol.
            Exit codes: 0 ok, 1 failure (or readings lost in load mode), 2 bad usage.
            """,
        subcommands: [
            RunCommand.self, GenerateCommand.self, LoadCommand.self, SinkCommand.self, RawSQLiteCommand.self,
            PrefillCommand.self, AlertLatencyCommand.self, FillCommand.self,
        ],
        defaultSubcommand: RunCommand.self)

    package init() {}
}
