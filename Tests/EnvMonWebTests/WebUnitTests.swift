import Foundation
import TestSupport
import Testing

@Suite("systemd: envmon-web.service")
struct WebUnitTests {
    @Test("the unit verifies with an empty stderr, is hardened (exposure ≤ 2.0) and serves the installed store")
    func unit() async throws {
        let directory = try TemporaryDirectory(prefix: "envmon-web-unit")
        let text = try String(
            contentsOfFile: BuiltProduct.repositoryPath("systemd/envmon-web.service"), encoding: .utf8)
        let unit = try directory.write(
            "envmon-web.service",
            text.replacingOccurrences(of: "/usr/local/bin/envmon", with: BuiltProduct.executable("envmon")))
        let verify = try await runProcess("/usr/bin/systemd-analyze", ["verify", unit])
        #expect(verify.exitStatus == 0 && verify.stderr.isEmpty, "\(verify.stderr)")
        let security = try await runProcess("/usr/bin/systemd-analyze", ["security", "--offline=yes", unit])
        let line = security.stdout.split(separator: "\n").first { $0.contains("Overall exposure level") } ?? ""
        let score = Double(line.split(separator: ":").last?.split(separator: " ").first ?? "") ?? 99
        #expect(score <= 2.0, "\(line)")
        #expect(
            text.contains("serve --config ${CONFIGURATION_DIRECTORY}/envmon.toml --db ${STATE_DIRECTORY}/envmon.db"))
        let tmpfiles = try String(
            contentsOfFile: BuiltProduct.repositoryPath("systemd/envmon.tmpfiles.conf"), encoding: .utf8)
        #expect(tmpfiles.contains("f /etc/envmon/web-users 0640 root envmon -"))
    }
}
