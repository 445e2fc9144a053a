import ArgumentParser
import EnvMonCLI
import Foundation
import TestSupport
import Testing

@Suite("envmon serve: refusals at start")
struct ServeCommandTests {
    static func config(_ directory: TemporaryDirectory) throws -> String {
        try directory.write(
            "envmon.toml",
            """
            [[sites]]
            id = "lan_ha"
            name = "Vịnh Lan Hạ"
            kind = "aquaculture"
            """)
    }

    static func refusal(_ arguments: [String]) throws -> String {
        var command = try EnvMonCommand.parseAsRoot(arguments)
        do {
            try command.run()
            return ""
        } catch {
            return EnvMonCommand.fullMessage(for: error)
        }
    }

    @Test("a database that does not exist: a clear message, and nothing is created")
    func missingDatabase() throws {
        let directory = try TemporaryDirectory(prefix: "envmon-serve")
        let missing = directory.file("envmon.db")
        let message = try Self.refusal(["serve", "--config", try Self.config(directory), "--db", missing])
        #expect(message.contains("cannot serve") && message.contains("no such database"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["envmon.toml"])
    }

    @Test("a SQLite file that is not EnvMon's is refused and left as it was")
    func foreignDatabase() throws {
        let directory = try TemporaryDirectory(prefix: "envmon-serve")
        let foreign = directory.file("other.db")
        let before = try ForeignSQLiteFile.make(at: foreign)
        let message = try Self.refusal(["serve", "--config", try Self.config(directory), "--db", foreign])
        #expect(message.contains("without the EnvMon application id"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: foreign)) == before)
    }

    @Test("a listen address that is not host:port is refused as bad usage")
    func badListen() throws {
        #expect(throws: (any Error).self) {
            _ = try EnvMonCommand.parseAsRoot(["serve", "--listen", "8080"])
        }
        let directory = try TemporaryDirectory(prefix: "envmon-serve")
        let config = try directory.write("bad.toml", "[web]\nlisten = \"everywhere\"\n")
        let message = try Self.refusal(["serve", "--config", config, "--db", directory.file("x.db")])
        #expect(message.contains("web.listen") && message.contains("host:port"))
    }
}
