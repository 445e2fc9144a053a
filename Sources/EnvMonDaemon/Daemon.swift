internal import CSystemShims
internal import EnvMonConfig
internal import EnvMonCore
internal import EnvMonStore
internal import Foundation
internal import Logging
internal import MQTT
internal import ServiceLifecycle
internal import SystemSupport

#if canImport(Glibc)
    internal import Glibc
#endif

/// The composition root of `envmond`: loads the config, opens the store and the inbox journal,
/// replays what the last run left, then runs MQTT → hand-off → ingest until SIGTERM/SIGINT.
package enum Daemon {
    /// Exit codes: 0 clean stop, 2 bad config or arguments, 1 any other failure to start or run.
    package static func run(_ options: DaemonOptions) async -> Int32 {
        // glibc gives every thread that allocates its own 64 MiB arena; with libmosquitto's,
        // the ingest, NIO and Swift's pool threads that fragments into RSS far above what is
        // live. Two arenas keep the daemon within its memory budget at no measurable cost.
        _ = mallopt(M_ARENA_MAX, 2)
        // A write to a socket the broker (or we, see MQTTClient.abandonConnection) closed must
        // be an error code, not the end of the process.
        _ = signal(SIGPIPE, SIG_IGN)
        LoggingSystem.bootstrap { label in JournalLogHandler(label: label, level: .info) }
        var logger = Logger(label: "envmond")

        var configuration: EnvMonConfiguration
        do {
            configuration = try EnvMonConfiguration.load(path: options.configPath)
        } catch {
            StandardStreams.write("envmond: invalid configuration \(options.configPath):\n\(error)\n", to: 2)
            return 2
        }
        if let broker = options.brokerURL { configuration.broker.url = broker }
        if let database = options.databasePath { configuration.daemon.database = database }
        logger.logLevel = Logger.Level(rawValue: configuration.daemon.logLevel) ?? .info

        do {
            let runtime = try DaemonRuntime(
                configuration: configuration, options: options, logger: logger,
                environment: .system(journalSocket: options.journalSocket))
            try await runtime.run()
            return 0
        } catch let error as DaemonStartError {
            logger.critical("\(error.message)")
            return error.exitCode
        } catch {
            logger.critical("envmond stopped: \(error)")
            return 1
        }
    }
}

/// A start-up failure with the exit code systemd and scripts should see.
struct DaemonStartError: Error {
    var message: String
    var exitCode: Int32 = 1
}
