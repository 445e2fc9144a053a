package import ArgumentParser
internal import EnvMonConfig
internal import EnvMonStore
internal import Foundation

/// `--db` and `--config`: the store a command reads and the config that names it. Apart from
/// `--format` (`FormatOptions`), since `export` and `report` have formats of their own.
package struct StoreOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: "Database file (default: daemon.database from the config).")
    package var db: String?

    @Option(name: .long, help: "Config file (default: Config/envmon.toml, else /etc/envmon/envmon.toml).")
    package var config: String?

    package init() {}

    static let defaultConfigPaths = ["Config/envmon.toml", "/etc/envmon/envmon.toml"]

    /// The file named by --config, or the first default that exists (nil if none).
    var configPath: String? {
        config ?? Self.defaultConfigPaths.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// The config named by --config, or the first default that exists (nil if none).
    func loadConfiguration(required: Bool = false) throws -> EnvMonConfiguration? {
        guard let path = configPath else {
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

    /// Where the store is: --db, else the config's.
    func location() throws -> StoreLocation {
        do {
            return try StoreLocation(try databasePath())
        } catch let error as StoreError {
            throw CLIError("--db: \(error)")
        }
    }

    /// The store, opened for `access` (reading unless said), its refusals as the CLI's messages.
    func open(_ access: StoreAccess = .read) throws -> Store {
        let location = try location()
        do {
            return try Store.open(location, for: access)
        } catch let error as StoreError {
            throw CLIError("\(error)")
        }
    }

    /// The read side of the store, opened read-only.
    func queries() throws -> any ReadingQueries { try open().readings }
}
