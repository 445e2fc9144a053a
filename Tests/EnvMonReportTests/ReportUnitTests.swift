import Foundation
import TestSupport
import Testing

@Suite("systemd: envmon-report.service and .timer")
struct ReportUnitTests {
    static func executable(_ name: String) -> String { BuiltProduct.executable(name) }

    /// `NAME.service` and `NAME.timer` verify with an empty stderr (the binary path pointed at the
    /// build) and the service's offline exposure is at most 2.0.
    static func verifyHardened(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let directory = try TemporaryDirectory(prefix: "\(name)-units")
        for unit in ["\(name).service", "\(name).timer"] {
            let text = try String(contentsOfFile: Repository.path("systemd/\(unit)"), encoding: .utf8)
                .replacingOccurrences(of: "/usr/local/bin/envmon", with: Self.executable("envmon"))
            _ = try directory.write(unit, text)
        }
        let verify = try await runProcess(
            "/usr/bin/systemd-analyze", ["verify", directory.file("\(name).service"), directory.file("\(name).timer")])
        #expect(verify.exitStatus == 0 && verify.stderr.isEmpty, "\(verify.stderr)", sourceLocation: sourceLocation)
        let security = try await runProcess(
            "/usr/bin/systemd-analyze", ["security", "--offline=yes", directory.file("\(name).service")])
        let line = security.stdout.split(separator: "\n").first { $0.contains("Overall exposure level") } ?? ""
        let score = Double(line.split(separator: ":").last?.split(separator: " ").first ?? "") ?? 99
        #expect(score <= 2.0, "\(line)", sourceLocation: sourceLocation)
    }

    @Test("the units verify with an empty stderr; the service is hardened; the timer is monthly and persistent")
    func units() async throws {
        try await Self.verifyHardened("envmon-report")
        let timer = try String(contentsOfFile: Repository.path("systemd/envmon-report.timer"), encoding: .utf8)
        #expect(timer.contains("OnCalendar=*-*-01 06:00") && timer.contains("Persistent=true"))
        let service = try String(contentsOfFile: Repository.path("systemd/envmon-report.service"), encoding: .utf8)
        #expect(service.contains("--period last-month") && service.contains("--out-dir ${STATE_DIRECTORY}/reports"))
    }

    @Test(
        "the nightly backup units verify with an empty stderr, are hardened, keep N copies, and agree on the state directory's mode"
    )
    func backupUnits() async throws {
        try await Self.verifyHardened("envmon-backup")
        let service = try String(contentsOfFile: Repository.path("systemd/envmon-backup.service"), encoding: .utf8)
        #expect(service.contains("backup") && service.contains("--into /var/backups/envmon --keep 7"))
        // Each unit that names the state directory sets its mode on start: one mode for all, or a
        // monthly report would take the staff's access away.
        for unit in ["envmond.service", "envmon-report.service", "envmon-backup.service"] {
            let text = try String(contentsOfFile: Repository.path("systemd/\(unit)"), encoding: .utf8)
            #expect(text.contains("StateDirectoryMode=0770\n"), "\(unit)")
        }
    }
}
