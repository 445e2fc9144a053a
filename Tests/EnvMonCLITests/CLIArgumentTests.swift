import EnvMonCore
import Foundation
import TestSupport
import Testing

/// Issue 7: arguments out of range are refused the way `envmon --help` documents ("Exit codes:
/// 0 ok, 1 nothing found, 2 bad usage or input"), with a message naming the argument, and
/// nothing is written. The real `envmon` binary runs, so the exit code is the one a shell sees.
@Suite("envmon refuses bad arguments: documented exit code, the argument named, nothing written")
struct CLIArgumentTests {
    /// The built `envmon` next to the test bundle (`<scratch>/<triple>/debug`).
    static let envmon: String = {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var candidates: [String] = []
        var directory = bundle
        for _ in 0..<4 {
            candidates.append(directory.appendingPathComponent("envmon").path)
            directory.deleteLastPathComponent()
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }()

    /// Every file in the fixture directory with its bytes, except what SQLite's WAL-mode readers
    /// create without writing anything: the shared-memory index (`-shm`) and an empty `-wal`.
    static func contents(of directory: TemporaryDirectory) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where !name.hasSuffix("-shm") {
            let data = FileManager.default.contents(atPath: directory.file(name)) ?? Data()
            if name.hasSuffix("-wal"), data.isEmpty { continue }
            result[name] = data
        }
        return result
    }

    /// Which files appeared, went or changed, with their sizes, for a failure message.
    static func changes(from before: [String: Data], to after: [String: Data]) -> String {
        Set(before.keys).union(after.keys).sorted().filter { before[$0] != after[$0] }.map {
            "\($0): \(before[$0]?.count ?? -1) → \(after[$0]?.count ?? -1) bytes"
        }.joined(separator: ", ")
    }

    struct BadArguments: CustomTestStringConvertible, Sendable {
        var arguments: [String]
        /// Text stderr must contain: the argument and, where useful, the bad value.
        var named: [String]
        var exitCode: Int32 = 2

        init(_ arguments: [String], named: [String], exitCode: Int32 = 2) {
            self.arguments = arguments
            self.named = named
            self.exitCode = exitCode
        }

        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let query = ["query", "--sensor", "wq-a", "--metric", "do"]

    /// Refused as documented today.
    static let cases: [BadArguments] = [
        // --from after (or equal to) --to.
        BadArguments(query + ["--from", "2026-11-30", "--to", "2026-11-01"], named: ["--from", "--to"]),
        BadArguments(query + ["--from", "2026-11-01", "--to", "2026-11-01"], named: ["--from", "--to"]),
        BadArguments(["export", "--from", "2026-12-01", "--to", "2026-11-01"], named: ["--from", "--to"]),
        BadArguments(["report", "--from", "2026-12-01", "--to", "2026-11-01"], named: ["--from", "--to"]),
        // Unknown sensor: documented as "nothing found", and the message says which.
        BadArguments(
            ["query", "--sensor", "nobody", "--metric", "do", "--from", "2026-11-01"], named: ["nobody"], exitCode: 1),
        // report periods that are no period.
        BadArguments(["report", "--period", "garbage"], named: ["--period", "garbage"]),
        BadArguments(["report", "--period", "2026-13"], named: ["--period", "2026-13"]),
        BadArguments(["report", "--period", "2026-Q5"], named: ["--period", "2026-Q5"]),
        BadArguments(["report", "--period", "99999"], named: ["--period", "99999"]),
    ]

    /// Refused by swift-argument-parser (parse or validate), whose own 64 (EX_USAGE) envmon maps to 2.
    static let usageErrors: [BadArguments] = [
        // --limit out of range.
        BadArguments(["rejects", "--limit=-1"], named: ["--limit"]),
        BadArguments(["rejects", "--limit", "0"], named: ["--limit"]),
        BadArguments(["rejects", "--limit", "1000001"], named: ["--limit"]),
        BadArguments(["rejects", "--limit", "99999999999999999999"], named: ["--limit", "99999999999999999999"]),
        // Unknown choices.
        BadArguments(query + ["--every", "2m"], named: ["--every", "2m"]),
        BadArguments(query + ["--every", "1h", "--agg", "median"], named: ["--agg", "median"]),
        BadArguments(query + ["--agg", "max"], named: ["--agg", "--every"]),
        BadArguments(query + ["--format", "xml"], named: ["--format", "xml"]),
        BadArguments(["latest", "--format", "yaml"], named: ["--format", "yaml"]),
        BadArguments(["export", "--from", "2026-11-01", "--format", "xlsx"], named: ["--format", "xlsx"]),
        BadArguments(["rejects", "--reason", "bogus"], named: ["--reason", "bogus"]),
        BadArguments(["alerts", "--severity", "urgent"], named: ["--severity", "urgent"]),
        BadArguments(["report", "--period", "2026-11", "--lang", "fr"], named: ["--lang"]),
        // alerts ack: --by and --wait out of range (the only command that writes).
        BadArguments(["alerts", "ack", "do_low:wq-a:1795921200000", "--by", " "], named: ["--by"]),
        BadArguments(["alerts", "ack", "do_low:wq-a:1795921200000", "--by", "Lan", "--wait", "61"], named: ["--wait"]),
    ]

    /// Malformed and impossible times: exit 2, naming the option and quoting the value.
    static let timeErrors: [BadArguments] = [
        BadArguments(query + ["--from", "2026-02-30"], named: ["--from", "2026-02-30"]),
        BadArguments(query + ["--from", "2026-02-29"], named: ["--from", "2026-02-29"]),
        BadArguments(query + ["--from", "2026-13-01"], named: ["--from", "2026-13-01"]),
        BadArguments(query + ["--from", "99999-01-01"], named: ["--from", "99999-01-01"]),
        BadArguments(query + ["--from", "99999-01-01T00:00:00Z"], named: ["--from", "99999-01-01T00:00:00Z"]),
        BadArguments(query + ["--from", "2026-11-29T24:61:00Z"], named: ["--from", "2026-11-29T24:61:00Z"]),
        BadArguments(query + ["--to", "2026-11-29T10:00:00+25:00"], named: ["--to", "2026-11-29T10:00:00+25:00"]),
        BadArguments(query + ["--from", ""], named: ["--from"]),
        BadArguments(["export", "--from", "2026-11-31"], named: ["--from", "2026-11-31"]),
        BadArguments(["alerts", "--since", "2026-00-10"], named: ["--since", "2026-00-10"]),
        BadArguments(["rejects", "--since", "yesterday"], named: ["--since", "yesterday"]),
    ]

    /// "Nothing found" (exit 1), saying which sensor.
    static let unnamedSensors: [BadArguments] = [
        BadArguments(["latest", "--sensor", "nobody"], named: ["nobody"], exitCode: 1),
        BadArguments(["export", "--from", "2026-11-01", "--sensor", "nobody"], named: ["nobody"], exitCode: 1),
    ]

    @Test("refused with the documented exit code, the argument named, nothing written", arguments: cases)
    func refused(_ bad: BadArguments) async throws {
        try await Self.check(bad)
    }

    @Test("usage errors exit 2 as documented", arguments: usageErrors)
    func usageError(_ bad: BadArguments) async throws {
        try await Self.check(bad)
    }

    @Test("a bad time names the option that held it", arguments: timeErrors)
    func timeError(_ bad: BadArguments) async throws {
        try await Self.check(bad)
    }

    @Test("nothing found for an unknown sensor says which sensor", arguments: unnamedSensors)
    func unnamedSensor(_ bad: BadArguments) async throws {
        try await Self.check(bad)
    }

    @Test("a relative time too large to count is refused, not a crash")
    func hugeRelativeTime() async throws {
        try await Self.check(
            BadArguments(Self.query + ["--from=-99999999999999999d"], named: ["--from", "-99999999999999999d"]))
    }

    @Test("the relative times the help text shows work as separate arguments")
    func relativeTimeAsSeparateArgument() async throws {
        let directory = try ReportCommandTests.fixture()
        for arguments in [
            Self.query + ["--from", "-24h"], ["export", "--from", "-7d"], ["alerts", "--since", "-24h"],
        ] {
            let result = try await runProcess(
                Self.envmon,
                arguments + ["--db", directory.file("envmon.db"), "--config", directory.file("envmon.toml")],
                timeout: .seconds(30))
            // Found (0) or nothing found (1), depending on today's date; not a usage error.
            #expect([0, 1].contains(result.exitStatus), "\(arguments): \(result)")
            #expect(!result.stderr.contains("Missing value"), "\(result.stderr)")
        }
    }

    /// With the time options reading `-24h` as a value, one followed by another option must still
    /// be reported as missing its value, not as an "Unexpected argument" further on.
    static let missingTimes: [BadArguments] = [
        BadArguments(query + ["--from", "--to", "now"], named: ["--from", "missing value"]),
        BadArguments(["alerts", "--since", "--active"], named: ["--since", "missing value"]),
        BadArguments(query + ["--from"], named: ["--from"]),
    ]

    @Test("a time option followed by another option is missing its value", arguments: missingTimes)
    func missingTime(_ bad: BadArguments) async throws {
        try await Self.check(bad)
    }

    @Test("--help exits 0 with the help on stdout, exit codes documented")
    func help() async throws {
        let result = try await runProcess(Self.envmon, ["--help"], timeout: .seconds(30))
        #expect(result.exitStatus == 0, "\(result)")
        #expect(result.stdout.contains("Exit codes: 0 ok, 1 nothing found, 2 bad usage or input"), "\(result)")
    }

    static func check(_ bad: BadArguments) async throws {
        let directory = try ReportCommandTests.fixture()
        let out = directory.file("report.md")
        var arguments =
            bad.arguments + ["--db", directory.file("envmon.db"), "--config", directory.file("envmon.toml")]
        if bad.arguments.first == "report" { arguments += ["--out", out] }
        let before = try Self.contents(of: directory)
        let result = try await runProcess(Self.envmon, arguments, timeout: .seconds(30))
        #expect(!result.terminatedBySignal, "\(result)")
        #expect(result.exitStatus == bad.exitCode, "\(result)")
        for fragment in bad.named {
            #expect(result.stderr.contains(fragment), "stderr does not name \(fragment): \(result.stderr)")
        }
        #expect(result.stdout.isEmpty, "\(result.stdout)")
        let after = try Self.contents(of: directory)
        #expect(after == before, "the command wrote: \(Self.changes(from: before, to: after))")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    static let malformedAlertIDs = [
        "", "x", "'; DROP TABLE alerts; --", "../../etc/passwd", "do_low:wq-a:soon", "do_low:wq-a:-1",
        String(repeating: "a", count: 10_000),
    ]

    @Test("alerts ack with a malformed id: exit 2 naming the id, nothing written", arguments: malformedAlertIDs)
    func malformedAlertID(_ id: String) async throws {
        let directory = try ReportCommandTests.fixture()
        let before = try Self.contents(of: directory)
        let result = try await runProcess(
            Self.envmon,
            [
                "alerts", "ack", id, "--by", "Lan", "--wait", "0", "--db", directory.file("envmon.db"), "--config",
                directory.file("envmon.toml"),
            ], timeout: .seconds(30))
        #expect(result.exitStatus == 2, "\(result)")
        #expect(result.stderr.contains("alert id"), "\(result.stderr.prefix(300))")
        #expect(try Self.contents(of: directory) == before, "the command wrote to the database")
    }

    @Test("alerts history with a malformed id: exit 2 naming the id", arguments: malformedAlertIDs)
    func malformedHistoryID(_ id: String) async throws {
        let directory = try ReportCommandTests.fixture()
        let before = try Self.contents(of: directory)
        let result = try await runProcess(
            Self.envmon,
            ["alerts", "history", id, "--db", directory.file("envmon.db"), "--config", directory.file("envmon.toml")],
            timeout: .seconds(30))
        #expect(result.exitStatus == 2, "\(result)")
        #expect(result.stderr.contains("alert id"), "\(result.stderr.prefix(300))")
        #expect(result.stdout.isEmpty, "\(result.stdout.prefix(300))")
        #expect(try Self.contents(of: directory) == before, "the command wrote to the database")
    }

    @Test("a well-formed id of no alert is 'nothing found' (exit 1) and writes nothing")
    func unknownAlertID() async throws {
        let directory = try ReportCommandTests.fixture()
        let before = try Self.contents(of: directory)
        let result = try await runProcess(
            Self.envmon,
            [
                "alerts", "ack", "do_low:wq-a:1795921200000", "--by", "Lan", "--wait", "0", "--db",
                directory.file("envmon.db"), "--config", directory.file("envmon.toml"),
            ], timeout: .seconds(30))
        #expect(result.exitStatus == 1, "\(result)")
        #expect(result.stderr.contains("do_low:wq-a:1795921200000"), "\(result.stderr)")
        #expect(try Self.contents(of: directory) == before)
    }
}
