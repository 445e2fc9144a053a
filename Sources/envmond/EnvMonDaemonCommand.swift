import ArgumentParser
import EnvMonDaemon

/// `envmond`: the EnvMon collector daemon. Everything lives in EnvMonDaemon; this only parses flags.
@main
struct EnvMonDaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "envmond",
        abstract: "Collect environmental sensor readings from MQTT into SQLite, with QC and alerts.",
        discussion: "Stops cleanly on SIGTERM or SIGINT. Exit codes: 0 stopped, 1 failure, 2 bad configuration.")

    @Option(name: .long, help: "Config file (TOML).")
    var config = "Config/envmon.toml"

    @Option(name: .long, help: "Broker URL (mqtt://host:port or mqtts://...), overriding broker.url.")
    var broker: String?

    @Option(name: .long, help: "Database file, overriding daemon.database.")
    var db: String?

    @Option(
        name: .customLong("journal-socket"),
        help: "Datagram socket for the alert entries in journald's native protocol, instead of journald's own.")
    var journalSocket: String?

    func run() async throws {
        let status = await Daemon.run(
            DaemonOptions(configPath: config, brokerURL: broker, databasePath: db, journalSocket: journalSocket))
        if status != 0 { throw ExitCode(status) }
    }
}
