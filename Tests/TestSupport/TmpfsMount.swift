import Foundation

/// A small tmpfs mounted for one test, so "disk full" is a real ENOSPC from the kernel rather
/// than a simulated error. Needs CAP_SYS_ADMIN (root in CI); `isAvailable` says whether it works.
package final class TmpfsMount: Sendable {
    package let path: String

    /// Mounts a tmpfs of `mebibytes` at a new directory under `parent`.
    package convenience init(in parent: TemporaryDirectory, mebibytes: Int) async throws {
        try await self.init(at: parent.file("tmpfs"), mebibytes: mebibytes)
    }

    /// Mounts a tmpfs of `mebibytes` at `path` (created if missing), e.g. inside a test server's
    /// chroot, where a mount next to it would not be visible.
    package init(at path: String, mebibytes: Int) async throws {
        self.path = path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let result = try await runProcess(
            "/bin/mount", ["-t", "tmpfs", "-o", "size=\(mebibytes)m,mode=0755", "tmpfs", path])
        guard result.succeeded else { throw TestSupportError("mount tmpfs at \(path) failed: \(result.stderr)") }
    }

    deinit {
        // Lazy unmount: a process that still has a file open there does not keep the mount busy.
        if let child = try? ChildProcess("/bin/umount", ["-l", path]) {
            _ = child.waitForExitBlocking(timeout: .seconds(10))
        }
    }

    /// Whether this machine lets the tests mount a tmpfs (root with CAP_SYS_ADMIN).
    package static var isAvailable: Bool { getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/bin/mount") }

    /// Fills the file system with a ballast file until the kernel says ENOSPC; returns its path.
    package func fill() throws -> String {
        let ballast = path + "/ballast"
        let descriptor = open(ballast, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { throw TestSupportError("cannot create \(ballast): errno \(errno)") }
        defer { close(descriptor) }
        for chunk in [1 << 20, 4096, 512, 1] {
            let bytes = [UInt8](repeating: 0xA5, count: chunk)
            while true {
                let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, chunk) }
                if written > 0 { continue }
                if written < 0 && errno == EINTR { continue }
                guard written < 0 && errno == ENOSPC else {
                    throw TestSupportError("filling \(path): write returned \(written), errno \(errno)")
                }
                break
            }
        }
        return ballast
    }

    /// Bytes still free on the file system.
    package var availableBytes: Int64 {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else { return -1 }
        return Int64(stats.f_bavail) * Int64(stats.f_frsize)
    }
}
