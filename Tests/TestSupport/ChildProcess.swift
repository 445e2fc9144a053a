import CSystemShims
import Foundation
import Synchronization

/// How a child process ended, with everything it wrote.
package struct ProcessResult: Sendable, CustomStringConvertible {
    /// The exit code, or the signal number when `terminatedBySignal`.
    package var exitStatus: Int32
    package var terminatedBySignal: Bool
    package var stdoutBytes: [UInt8]
    package var stderrBytes: [UInt8]

    package var stdout: String { String(decoding: stdoutBytes, as: UTF8.self) }
    package var stderr: String { String(decoding: stderrBytes, as: UTF8.self) }
    /// Exited normally with status 0.
    package var succeeded: Bool { !terminatedBySignal && exitStatus == 0 }

    package var description: String {
        let how = terminatedBySignal ? "killed by signal \(exitStatus)" : "exit status \(exitStatus)"
        return "\(how)\n--- stdout ---\n\(stdout)\n--- stderr ---\n\(stderr)"
    }
}

/// A launched external program (our built binaries, mosquitto, mosquitto_pub ...).
///
/// stdout and stderr go to files rather than pipes, so a chatty child can never block on a full
/// pipe that nobody reads, and tests can look at the output while the child still runs.
package final class ChildProcess: Sendable {
    package let executable: String
    package let arguments: [String]
    package let stdoutPath: String
    package let stderrPath: String
    package let pid: Int32

    private let exitState = ExitState()
    private let outputDirectory: TemporaryDirectory?

    /// Starts `executable` with `arguments`.
    /// - environment: variables added to (or, with `inheritEnvironment: false`, replacing) ours.
    /// - stdin: text fed to the child's standard input; without it the child reads /dev/null.
    /// - outputDirectory: where stdout/stderr files go; a temporary directory when nil.
    ///
    /// Launched with posix_spawn and a clean signal state (empty mask, default dispositions):
    /// Foundation's `Process` passes on the mask of the spawning thread, and Swift's worker threads
    /// block SIGTERM/SIGHUP/SIGINT, so a child started that way never sees them (mosquitto would
    /// ignore SIGHUP reloads and SIGTERM; our daemon would ignore `stop`).
    package init(
        _ executable: String, _ arguments: [String] = [], environment: [String: String] = [:],
        inheritEnvironment: Bool = true, stdin: String? = nil, currentDirectory: String? = nil,
        outputDirectory: String? = nil
    ) throws {
        let directory: String
        if let outputDirectory {
            self.outputDirectory = nil
            directory = outputDirectory
        } else {
            let temporary = try TemporaryDirectory(prefix: "envmon-proc")
            self.outputDirectory = temporary
            directory = temporary.path
        }
        let name = (executable as NSString).lastPathComponent
        let unique = "\(name)-\(UInt32.random(in: 0...UInt32.max))"
        self.executable = executable
        self.arguments = arguments
        self.stdoutPath = directory + "/\(unique).stdout"
        self.stderrPath = directory + "/\(unique).stderr"
        var inputPath = "/dev/null"
        if let stdin {
            inputPath = directory + "/\(unique).stdin"
            try stdin.write(toFile: inputPath, atomically: false, encoding: .utf8)
        }

        var env = inheritEnvironment ? ProcessInfo.processInfo.environment : [:]
        env.merge(environment) { _, new in new }
        var argv = [executable] + arguments
        var path = executable
        if let currentDirectory {
            // posix_spawn_file_actions_addchdir_np is not visible from Swift: let sh change directory.
            argv = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", currentDirectory] + argv
            path = "/bin/sh"
        }
        self.pid = try spawn(
            path: path, argv: argv, env: env.map { "\($0.key)=\($0.value)" }, stdin: inputPath, stdout: stdoutPath,
            stderr: stderrPath)

        // Reap the child on a thread of its own: waitpid blocks, and must not block Swift's pool.
        let state = exitState
        let pid = self.pid
        let reaper = Thread {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            // WIFSIGNALED / WTERMSIG / WEXITSTATUS are macros, not visible from Swift.
            let signal = status & 0x7f
            let exit =
                signal != 0 ? Exit(status: signal, bySignal: true) : Exit(status: (status >> 8) & 0xff, bySignal: false)
            let waiters = state.lock.withLock { current in
                current.exit = exit
                defer { current.waiters = [] }
                return current.waiters
            }
            for waiter in waiters { waiter.resume() }
        }
        reaper.start()
    }

    /// False once the child has exited (and been reaped).
    package var isRunning: Bool { exitState.lock.withLock { $0.exit == nil } }

    /// Sends `signal` (SIGTERM, SIGKILL, SIGSTOP, SIGCONT, SIGHUP, ...) to the child.
    package func send(_ signal: Int32) {
        if isRunning { _ = kill(pid, signal) }
    }

    /// What the child wrote to stdout so far.
    package var stdoutSoFar: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    /// What the child wrote to stderr so far.
    package var stderrSoFar: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Waits for the child to exit; on timeout kills it (SIGKILL) and throws.
    @discardableResult
    package func waitForExit(timeout: Duration = .seconds(60)) async throws -> ProcessResult {
        let exited = Task {
            await withCheckedContinuation { continuation in
                let done = exitState.lock.withLock { current -> Bool in
                    if current.exit != nil { return true }
                    current.waiters.append(continuation)
                    return false
                }
                if done { continuation.resume() }
            }
        }
        let timer = Task {
            try await Task.sleep(for: timeout)
            _ = kill(pid, SIGKILL)
        }
        await exited.value
        timer.cancel()
        let result = self.result()!
        if (try? await timer.value) != nil, result.terminatedBySignal, result.exitStatus == SIGKILL {
            throw TestSupportError("\(executable) \(arguments) did not exit within \(timeout); killed.\n\(result)")
        }
        return result
    }

    /// Blocks until the child exits or `timeout` passes; true when it exited.
    package func waitForExitBlocking(timeout: Duration) -> Bool {
        waitUntilBlocking(timeout: timeout) { !isRunning }
    }

    /// The result once the child has exited, nil while it runs.
    package func result() -> ProcessResult? {
        guard let exit = exitState.lock.withLock({ $0.exit }) else { return nil }
        let out = FileManager.default.contents(atPath: stdoutPath) ?? Data()
        let err = FileManager.default.contents(atPath: stderrPath) ?? Data()
        return ProcessResult(
            exitStatus: exit.status, terminatedBySignal: exit.bySignal, stdoutBytes: [UInt8](out),
            stderrBytes: [UInt8](err))
    }

    deinit {
        // Never leave a stray child behind a failed test.
        if exitState.lock.withLock({ $0.exit == nil }) {
            _ = kill(pid, SIGKILL)
            _ = waitUntilBlocking(timeout: .seconds(5)) { exitState.lock.withLock { $0.exit != nil } }
        }
    }
}

private struct Exit {
    var status: Int32
    var bySignal: Bool
}

// A class so that the termination handler can share it without capturing the ChildProcess.
private final class ExitState: Sendable {
    let lock = Mutex<(exit: Exit?, waiters: [CheckedContinuation<Void, Never>])>((nil, []))
}

private func spawn(
    path: String, argv: [String], env: [String], stdin: String, stdout: String, stderr: String
) throws
    -> Int32
{
    try spawnProcess(path: path, argv: argv, env: env) { actions in
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    }
}

/// posix_spawn with the standard streams `standardStreams` sets up (descriptors 0, 1, 2), every
/// other descriptor closed and the signal mask and dispositions reset.
func spawnProcess(
    path: String, argv: [String], env: [String],
    standardStreams: (inout posix_spawn_file_actions_t) -> Void
) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    standardStreams(&actions)
    // Nothing else of ours goes to the child. libcurl's sockets have no FD_CLOEXEC, and tests run in
    // parallel: a server spawned while another test's upload was open inherited its data connection,
    // so closing it in the test sent no EOF, pure-ftpd never answered 226 and the upload timed out
    // (a single-threaded webhook receiver likewise waited forever on an inherited keep-alive socket).
    posix_spawn_file_actions_addclosefrom_np(&actions, 3)

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var emptyMask = sigset_t()
    sigemptyset(&emptyMask)
    var allSignals = sigset_t()
    sigfillset(&allSignals)
    posix_spawnattr_setsigmask(&attributes, &emptyMask)
    posix_spawnattr_setsigdefault(&attributes, &allSignals)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    func cStrings(_ strings: [String]) -> [UnsafeMutablePointer<CChar>?] { strings.map { strdup($0) } + [nil] }
    let cArgv = cStrings(argv)
    let cEnv = cStrings(env)
    defer {
        cArgv.forEach { free($0) }
        cEnv.forEach { free($0) }
    }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, path, &actions, &attributes, cArgv, cEnv)
    guard rc == 0 else {
        throw TestSupportError("cannot launch \(path): \(String(cString: strerror(rc)))")
    }
    return pid
}

/// Runs `executable` to completion and returns its exit status and output.
/// `environment` is added to the current environment unless `inheritEnvironment` is false.
/// On `timeout` the child is killed and the call throws.
package func runProcess(
    _ executable: String, _ arguments: [String] = [], environment: [String: String] = [:],
    inheritEnvironment: Bool = true, stdin: String? = nil, currentDirectory: String? = nil,
    timeout: Duration = .seconds(120)
) async throws -> ProcessResult {
    let child = try ChildProcess(
        executable, arguments, environment: environment, inheritEnvironment: inheritEnvironment, stdin: stdin,
        currentDirectory: currentDirectory)
    return try await child.waitForExit(timeout: timeout)
}
