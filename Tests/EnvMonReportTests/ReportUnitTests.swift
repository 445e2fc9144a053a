import Foundation
import TestSupport
import Testing

@Suite("systemd: envmon-report.service and .timer")
struct ReportUnitTests {
    /// The built `envmon`, found beside the test bundle or in .build/debug.
    static func executable(_ name: String) -> String {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var candidates: [String] = []
        for _ in 0..<4 {
            candidates.append(directory.appendingPathComponent(name).path)
            directory.deleteLastPathComponent()
        }
        candidates.append(Repository.path(".build/debug/\(name)"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }

    @Test("the units verify with an empty stderr; the service is hardened; the timer is monthly and persistent")
    func units() async throws {
        let directory = try TemporaryDirectory(prefix: "envmon-report-units")
        for unit in ["envmon-report.service", "envmon-report.timer"] {
            let text = try String(contentsOfFile: Repository.path("systemd/\(unit)"), encoding: .utf8)
                .replacingOccurrences(of: "/usr/local/bin/envmon", with: Self.executable("envmon"))
            _ = try directory.write(unit, text)
        }
        let verify = try await runProcess(
            "/usr/bin/systemd-analyze",
            ["verify", directory.file("envmon-report.service"), directory.file("envmon-report.timer")])
        #expect(verify.exitStatus == 0 && verify.stderr.isEmpty, "\(verify.stderr)")
        let security = try await runProcess(
            "/usr/bin/systemd-analyze", ["security", "--offline=yes", directory.file("envmon-report.service")])
        let line = security.stdout.split(separator: "\n").first { $0.contains("Overall exposure level") } ?? ""
        let score = Double(line.split(separator: ":").last?.split(separator: " ").first ?? "") ?? 99
        #expect(score <= 2.0, "\(line)")
        let timer = try String(contentsOfFile: Repository.path("systemd/envmon-report.timer"), encoding: .utf8)
        #expect(timer.contains("OnCalendar=*-*-01 06:00") && timer.contains("Persistent=true"))
        let service = try String(contentsOfFile: Repository.path("systemd/envmon-report.service"), encoding: .utf8)
        #expect(service.contains("--period last-month") && service.contains("--out-dir ${STATE_DIRECTORY}/reports"))
    }

    @Test(
        "the nightly backup units verify with an empty stderr, are hardened, keep N copies, and agree on the state directory's mode"
    )
    func backupUnits() async throws {
        let directory = try TemporaryDirectory(prefix: "envmon-backup-units")
        for unit in ["envmon-backup.service", "envmon-backup.timer"] {
            let text = try String(contentsOfFile: Repository.path("systemd/\(unit)"), encoding: .utf8)
                .replacingOccurrences(of: "/usr/local/bin/envmon", with: Self.executable("envmon"))
            _ = try directory.write(unit, text)
        }
        let verify = try await runProcess(
            "/usr/bin/systemd-analyze",
            ["verify", directory.file("envmon-backup.service"), directory.file("envmon-backup.timer")])
        #expect(verify.exitStatus == 0 && verify.stderr.isEmpty, "\(verify.stderr)")
        let security = try await runProcess(
            "/usr/bin/systemd-analyze", ["security", "--offline=yes", directory.file("envmon-backup.service")])
        let line = security.stdout.split(separator: "\n").first { $0.contains("Overall exposure level") } ?? ""
        let score = Double(line.split(separator: ":").last?.split(separator: " ").first ?? "") ?? 99
        #expect(score <= 2.0, "\(line)")
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
