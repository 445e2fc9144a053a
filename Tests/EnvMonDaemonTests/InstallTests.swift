import Foundation
import TestSupport
import Testing

@Suite("make install / uninstall into a DESTDIR")
struct InstallTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test("install places binaries, units, sysusers, tmpfiles and config; never overwrites an edited config")
    func installAndUninstall() async throws {
        let destination = try TemporaryDirectory(prefix: "envmon-install")
        let binaries = URL(fileURLWithPath: DaemonHarness.executable("envmond")).deletingLastPathComponent().path
        let arguments = [
            "-C", Self.root, "--no-print-directory", "DESTDIR=\(destination.path)", "BUILDDIR=\(binaries)",
        ]
        let install = try await runProcess("/usr/bin/make", arguments + ["install"])
        #expect(install.succeeded, "\(install)")
        let expected = [
            "usr/local/bin/envmond", "usr/local/bin/envmon", "etc/systemd/system/envmond.service",
            "usr/lib/sysusers.d/envmon.conf", "usr/lib/tmpfiles.d/envmon.conf", "etc/envmon/envmon.toml",
            "etc/envmon/mosquitto.conf", "usr/local/share/doc/envmon/README.md",
        ]
        for path in expected {
            #expect(FileManager.default.fileExists(atPath: destination.file(path)), "\(path)")
        }
        let unit = try String(contentsOfFile: destination.file("etc/systemd/system/envmond.service"), encoding: .utf8)
        #expect(unit.contains("ExecStart=/usr/local/bin/envmond --config"))

        // An edited config survives a second install; the new default lands beside it.
        let config = destination.file("etc/envmon/envmon.toml")
        try "# edited by staff\n".write(toFile: config, atomically: true, encoding: .utf8)
        let again = try await runProcess("/usr/bin/make", arguments + ["install"])
        #expect(again.succeeded)
        #expect(try String(contentsOfFile: config, encoding: .utf8) == "# edited by staff\n")
        #expect(FileManager.default.fileExists(atPath: config + ".dist"))

        let uninstall = try await runProcess("/usr/bin/make", arguments + ["uninstall"])
        #expect(uninstall.succeeded, "\(uninstall)")
        for path in expected where !path.hasPrefix("etc/envmon/") {
            #expect(!FileManager.default.fileExists(atPath: destination.file(path)), "\(path) removed")
        }
        #expect(FileManager.default.fileExists(atPath: config), "the staff's config is kept")
        #expect(!FileManager.default.fileExists(atPath: config + ".dist"))
    }
}
