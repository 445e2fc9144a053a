import EnvMonCore
import EnvMonStore
import Foundation
import MQTT
import TestSupport

/// Runs the real `envmond` binary against a real broker and a real SQLite file (or, given
/// `database`, a PostgreSQL URL).
final class DaemonHarness: @unchecked Sendable {
    let directory: TemporaryDirectory
    let configPath: String
    /// What `--db` gets: the SQLite file, or a `postgres://` URL.
    let databasePath: String
    private var isSQLite: Bool { !databasePath.hasPrefix("postgres") }
    let brokerURL: String
    private(set) var process: ChildProcess?

    static func executable(_ name: String) -> String { BuiltProduct.executable(name) }

    /// The shipped Cát Hải config with test-sized settings appended over it.
    static func configText(ingest: String = "", extra: String = "") throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var text = try String(contentsOf: root.appendingPathComponent("Config/envmon.toml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "statistics_interval = \"5s\"", with: "statistics_interval = \"200ms\"")
        text = text.replacingOccurrences(of: "evaluation_interval = \"1s\"", with: "evaluation_interval = \"200ms\"")
        if !ingest.isEmpty {
            // Replace the whole [ingest] table.
            let start = text.range(of: "[ingest]")!
            let end = text.range(of: "[retention]")!
            text.replaceSubrange(start.lowerBound..<end.lowerBound, with: "[ingest]\n\(ingest)\n\n")
        }
        return text + "\n" + extra
    }

    /// `databaseDirectory` (default: the harness's own directory) also holds the inbox journal.
    init(
        broker: MosquittoBroker, configText: String, databaseDirectory: String? = nil, database: String? = nil
    )
        throws
    {
        directory = try TemporaryDirectory(prefix: "envmon-daemon")
        // With a server's database the inbox journal needs a directory of its own (the unit's
        // /var/lib/envmon otherwise): the harness's.
        let text =
            database == nil
            ? configText
            : configText.replacingOccurrences(
                of: "[daemon]\n", with: "[daemon]\nstate_directory = \"\(directory.path)\"\n")
        configPath = try directory.write("envmon.toml", text)
        databasePath = database ?? (databaseDirectory ?? directory.path) + "/envmon.db"
        brokerURL = broker.url
    }

    /// Starts envmond and waits until its subscriptions are granted.
    /// `broker`: another URL than the harness's broker (a relay in front of it).
    func start(environment: [String: String] = [:], broker: String? = nil) async throws {
        let child = try ChildProcess(
            Self.executable("envmond"),
            ["--config", configPath, "--broker", broker ?? brokerURL, "--db", databasePath],
            environment: environment, outputDirectory: directory.path)
        process = child
        // Subscribed, or connected to a session the broker kept (its subscriptions with it).
        try await waitUntil("envmond subscribed", timeout: .seconds(20)) {
            let output = child.stderrSoFar
            return output.contains("MQTT subscribed") || output.contains("session resumed") || !child.isRunning
        }
        guard child.isRunning else { throw HarnessError("envmond exited: \(child.stderrSoFar)") }
    }

    func kill() async throws {
        guard let process else { return }
        process.send(SIGKILL)
        _ = try await process.waitForExit(timeout: .seconds(10))
    }

    func terminate() async throws -> ProcessResult? {
        guard let process else { return nil }
        process.send(SIGTERM)
        return try await process.waitForExit(timeout: .seconds(10))
    }

    func queries() throws -> any ReadingQueries {
        try Store.open(try StoreLocation(databasePath), for: .read).readings
    }

    /// Raw readings stored in the last `window` (0 while the database does not exist yet).
    func storedCount(window: Int64 = 86_400_000 * 3) -> Int {
        guard !isSQLite || FileManager.default.fileExists(atPath: databasePath), let queries = try? queries() else {
            return 0
        }
        let now = Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000))
        return (try? queries.count(from: now.adding(milliseconds: -window), to: now.adding(milliseconds: window))) ?? 0
    }

    func cli(_ arguments: [String]) async throws -> ProcessResult {
        try await runProcess(Self.executable("envmon"), arguments + ["--db", databasePath, "--config", configPath])
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A publishing client for tests: our own libmosquitto wrapper.
func makePublisher(url: String, clientID: String = "test-publisher-\(UUID().uuidString.prefix(8))") throws -> MQTTClient
{
    let configuration = MQTTConfiguration(
        broker: try MQTTBrokerURL(url), clientID: clientID, protocolVersion: .v5,
        session: .persistent(expiry: .seconds(3600)), maxInflightMessages: 200, reportsPublished: false)
    let client = try MQTTClient(configuration: configuration, onMessage: { _ in })
    try client.start()
    return client
}
