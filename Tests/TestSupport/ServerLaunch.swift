import Foundation

/// Starts a server process on a free loopback port and returns once it accepts connections there.
/// A port that was free a moment ago may be taken by the time the server binds it, so `attempts`
/// ports are tried; `launch` builds the process for one port (writing its config first).
/// `ready` adds a server-specific check (e.g. its "listening" log line), so that some other process
/// that happens to own the port is not mistaken for ours.
func launchOnFreeLoopbackPort(
    _ name: String, attempts: Int = 5, timeout: Duration,
    launch: (_ port: Int) throws -> ChildProcess, ready: (ChildProcess) -> Bool = { _ in true }
) async throws -> (child: ChildProcess, port: Int) {
    var failures: [String] = []
    for _ in 0..<attempts {
        let port = try freeLoopbackPort()
        let child = try launch(port)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            if !child.isRunning {
                failures.append("\(name) exited during start-up on port \(port): \(child.result()?.description ?? "")")
                break
            }
            if ready(child) && loopbackPortAcceptsConnections(port) { return (child, port) }
            if clock.now >= deadline {
                stopServer(child)
                throw TestSupportError(
                    "\(name) did not accept connections on port \(port) within \(timeout)\n--- stderr ---\n"
                        + child.stderrSoFar)
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
    throw TestSupportError(failures.joined(separator: "\n"))
}

/// SIGTERM, then SIGKILL if the server does not exit in time. The processes it forked for open
/// sessions (pure-ftpd, sshd) are killed first: a stopped server must drop its clients, as a
/// machine that goes down does, not leave them served by orphans.
func stopServer(_ child: ChildProcess, timeout: Duration = .seconds(5)) {
    for descendant in descendants(of: child.pid) { kill(descendant, SIGKILL) }
    child.send(SIGTERM)
    if !child.waitForExitBlocking(timeout: timeout) {
        child.send(SIGKILL)
        _ = child.waitForExitBlocking(timeout: .seconds(5))
    }
}

/// The uid and gid of the unprivileged account the test servers log users in as ("nobody"): the
/// tests run as root, and root would be allowed to write anywhere, so permission tests need this.
func unprivilegedAccount() -> (uid: uid_t, gid: gid_t) {
    guard let entry = getpwnam("nobody") else { return (65534, 65534) }
    return (entry.pointee.pw_uid, entry.pointee.pw_gid)
}

/// Creates `path` (and its parents) owned by the unprivileged account when `writable`, else by root with 0755.
func makeServerDirectory(_ path: String, writable: Bool) throws {
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    chmod(path, 0o755)
    let account = unprivilegedAccount()
    if writable {
        guard chown(path, account.uid, account.gid) == 0 else {
            throw TestSupportError("chown \(path) failed: \(String(cString: strerror(errno)))")
        }
    } else {
        _ = chown(path, 0, 0)
    }
}

/// Every process below `pid`, from /proc (children before grandchildren).
func descendants(of pid: Int32) -> [Int32] {
    var parents: [Int32: Int32] = [:]
    for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
        guard let id = Int32(entry),
            let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { continue }
        // "pid (comm) state ppid ...": the command may hold spaces and parentheses.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        if fields.count > 1, let parent = Int32(fields[1]) { parents[id] = parent }
    }
    var result: [Int32] = []
    var frontier = [pid]
    while let next = frontier.popLast() {
        let children = parents.filter { $0.value == next }.map(\.key)
        result += children
        frontier += children
    }
    return result
}
