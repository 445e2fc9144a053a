public import ArgumentParser
internal import EnvMonConfig
internal import EnvMonStore
internal import Foundation
internal import GRDB
internal import SystemSupport

/// `--db`, `--config` and `--format`, on every subcommand.
public struct GlobalOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: "Database file (default: daemon.database from the config).")
    public var db: String?

    @Option(name: .long, help: "Config file (default: Config/envmon.toml, else /etc/envmon/envmon.toml).")
    public var config: String?

    @Option(name: .long, help: "Output format: table, json or csv.")
    public var format: OutputFormat = .table

    public init() {}

    static let defaultConfigPaths = ["Config/envmon.toml", "/etc/envmon/envmon.toml"]

    /// The config named by --config, or the first default that exists (nil if none).
    func loadConfiguration(required: Bool = false) throws -> EnvMonConfiguration? {
        let path = config ?? Self.defaultConfigPaths.first { FileManager.default.fileExists(atPath: $0) }
        guard let path else {
            if required { throw CLIError("no config file: pass --config FILE") }
            return nil
        }
        do {
            return try EnvMonConfiguration.load(path: path)
        } catch {
            throw CLIError("invalid configuration \(path):\n\(error)")
        }
    }

    func databasePath() throws -> String {
        if let db { return db }
        if let configuration = try loadConfiguration() { return configuration.daemon.database }
        throw CLIError("no database: pass --db PATH or --config FILE")
    }

    /// The read side of the store, opened read-only.
    func queries() throws -> ReadingQueries {
        let path = try databasePath()
        do {
            return ReadingQueries(database: try StoreDatabase.openForReading(path: path))
        } catch let error as StoreError {
            throw CLIError("\(error)")
        }
    }
}

/// A CLI command that writes its output to a stream, so tests can run it in-process.
public protocol OutputCommand: ParsableCommand {
    func execute(into output: inout String) throws
}

extension OutputCommand {
    public mutating func run() throws {
        var output = ""
        do {
            try execute(into: &output)
        } catch let error as CLIError {
            StandardStreams.write(output, to: 1)
            StandardStreams.write("envmon: \(error.message)\n", to: 2)
            throw ExitCode(error.exitCode)
        }
        StandardStreams.write(output, to: 1)
    }
}
