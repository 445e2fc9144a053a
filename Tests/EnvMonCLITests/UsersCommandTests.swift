import ArgumentParser
import EnvMonCLI
import EnvMonWeb
import Foundation
import Synchronization
import TestSupport
import Testing

@Suite("envmon users: staff accounts of the web console, in a real users file")
struct UsersCommandTests {
    let directory: TemporaryDirectory
    let usersFile: String

    init() throws {
        directory = try TemporaryDirectory(prefix: "envmon-cli-users")
        usersFile = directory.file("web-users")
    }

    func run(_ arguments: [String]) throws -> (output: String, exitCode: Int32) {
        try CLIRunner.run(["users"] + arguments + ["--users-file", usersFile])
    }

    /// `users add NAME` with the password in a file and bcrypt's cheapest cost.
    func add(_ name: String, password: String, _ extra: [String] = []) throws -> (output: String, exitCode: Int32) {
        let file = try directory.write("password-\(UUID().uuidString)", password + "\n")
        return try run(["add", name, "--password-file", file, "--cost", "4"] + extra)
    }

    @Test func addListAndRemove() throws {
        #expect(try add("an", password: "correct horse battery") == ("added an to \(usersFile)\n", 0))
        #expect(try add("Nguyễn.Bình", password: "mật khẩu của Bình") == ("added Nguyễn.Bình to \(usersFile)\n", 0))
        let accounts = StaffAccounts(path: usersFile)
        // The file's line break is not part of the password.
        #expect(try accounts.verify(name: "an", password: "correct horse battery"))
        #expect(try accounts.verify(name: "Nguyễn.Bình", password: "mật khẩu của Bình"))

        #expect(try run(["list"]).output == "NAME         BCRYPT COST\nNguyễn.Bình  4\nan           4\n")
        #expect(
            try run(["list", "--format", "json"]).output
                == "[{\"bcrypt_cost\":4,\"name\":\"Nguyễn.Bình\"},\n {\"bcrypt_cost\":4,\"name\":\"an\"}]\n")
        #expect(try run(["list", "--format", "csv"]).output == "NAME,BCRYPT COST\nNguyễn.Bình,4\nan,4\n")

        #expect(try run(["remove", "an"]) == ("removed an from \(usersFile)\n", 0))
        #expect(try accounts.names() == ["Nguyễn.Bình"])
        #expect(try run(["remove", "an"]) == ("no staff account \"an\" in \(usersFile)", 1))
        #expect(try run(["remove", "Nguyễn.Bình"]).exitCode == 0)
        #expect(try run(["list"]).output == "NAME  BCRYPT COST\nno staff accounts in \(usersFile)\n")
    }

    @Test func existingNameNeedsReplace() throws {
        _ = try add("an", password: "first password")
        // Refused before the password is read: the named file does not even exist.
        let refused = try run(["add", "an", "--password-file", directory.file("absent"), "--cost", "4"])
        #expect(refused.exitCode == 2)
        #expect(
            refused.output == "staff account \"an\" already exists in \(usersFile); add --replace to set a new password"
        )
        #expect(
            try add("an", password: "second password", ["--replace"]) == (
                "new password set for an in \(usersFile)\n", 0
            ))
        let accounts = StaffAccounts(path: usersFile)
        #expect(try accounts.verify(name: "an", password: "second password"))
        #expect(try !accounts.verify(name: "an", password: "first password"))
    }

    @Test func badPasswordsAreRefusedAndNothingIsWritten() throws {
        let short = try add("an", password: "short")
        #expect(short.exitCode == 2 && short.output == "password too short: use at least 10 characters")
        let twoLines = try add("an", password: "first line is long\nsecond line")
        #expect(twoLines.exitCode == 2 && twoLines.output.contains("more than one line"))
        let missing = try run(["add", "an", "--password-file", directory.file("absent")])
        #expect(missing.exitCode == 2 && missing.output.hasPrefix("cannot read --password-file"))
        #expect(!FileManager.default.fileExists(atPath: usersFile))
    }

    @Test func badArgumentsAreRefusedByTheParser() throws {
        let cases: [([String], String)] = [
            (["add", "an", "--password-file", "p", "--password-stdin"], "not both"),
            (["add", "a:b", "--password-stdin"], "invalid staff account name \"a:b\""),
            // A password as a plain argument would be visible in `ps`: there is no such argument.
            (["add", "an", "correct-horse-battery"], "Unexpected argument 'correct-horse-battery'"),
            (["add", "an", "--password", "correct-horse-battery"], "Unknown option '--password'"),
        ]
        for (arguments, message) in cases {
            let error = #expect(throws: (any Error).self) { try run(arguments) }
            let text = error.map { EnvMonCommand.message(for: $0) } ?? ""
            #expect(text.contains(message), "\(arguments): \(text)")
            #expect(error.map(EnvMonCommand.exitStatus(for:)) == 2)
        }
    }

    @Test func usersFileDefaultsToTheOneServeReads() throws {
        #expect(try UsersListCommand.parse([]).file.path == "/etc/envmon/web-users")
        #expect(StaffAccounts.defaultPath == "/etc/envmon/web-users")
    }

    @Test func passwordComesFromStandardInputWhenItIsNotATerminal() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]) }
        "from a pipe, one line\n".utf8CString.withUnsafeBufferPointer {
            _ = write(ends[1], $0.baseAddress, $0.count - 1)
        }
        close(ends[1])
        let reader = PasswordReader(input: ends[0], prompts: -1)
        #expect(try reader.password(file: nil, fromStandardInput: false, prompt: "unused") == "from a pipe, one line")
    }

    @Test func terminalPasswordIsTypedTwiceWithoutEcho() throws {
        let terminal = try PseudoTerminal()
        let reading = terminal.readPassword()
        var screen = try terminal.read(until: "Password for an: ")
        // Backspace removes a whole multi-byte letter.
        terminal.type("correct horse ả\u{7F}battery\r")
        screen += try terminal.read(until: "Repeat the password: ")
        terminal.type("correct horse battery\n")
        #expect(try reading.result() == "correct horse battery")
        screen += try terminal.read(until: "\n")
        #expect(!screen.contains("correct") && !screen.contains("battery"))
        #expect(terminal.echoes)
    }

    @Test func terminalPasswordsThatDifferOrAreCancelledAreRefused() throws {
        let differ = try PseudoTerminal()
        let first = differ.readPassword()
        _ = try differ.read(until: "Password for an: ")
        differ.type("correct horse battery\n")
        _ = try differ.read(until: "Repeat the password: ")
        differ.type("correct horse batterie\n")
        #expect(throws: CLIError.self) { try first.result() }
        #expect(first.message == "the two passwords differ")
        #expect(differ.echoes)

        let cancelled = try PseudoTerminal()
        let second = cancelled.readPassword()
        _ = try cancelled.read(until: "Password for an: ")
        cancelled.type("half a pass\u{03}")
        #expect(throws: CLIError.self) { try second.result() }
        #expect(second.message == "cancelled")
        #expect(cancelled.echoes)
    }
}

/// A pseudo-terminal pair: the test types into the master side; `PasswordReader` reads the
/// slave side as a real terminal, with its echo and line settings.
final class PseudoTerminal: Sendable {
    let master: Int32
    let slave: Int32

    init() throws {
        // POSIX, but outside Swift's Glibc module (they need _XOPEN_SOURCE): looked up in libc.
        typealias DescriptorCall = @convention(c) (Int32) -> Int32
        typealias NameCall = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
        func libc<Function>(_ name: String, as type: Function.Type) throws -> Function {
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else {
                throw TestSupportError("\(name) is not in libc")
            }
            return unsafeBitCast(symbol, to: type)
        }
        let openMaster = try libc("posix_openpt", as: DescriptorCall.self)
        let grant = try libc("grantpt", as: DescriptorCall.self)
        let unlock = try libc("unlockpt", as: DescriptorCall.self)
        let slaveName = try libc("ptsname", as: NameCall.self)
        master = openMaster(O_RDWR | O_NOCTTY)
        guard master >= 0, grant(master) == 0, unlock(master) == 0, let name = slaveName(master) else {
            throw TestSupportError("no pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        slave = open(name, O_RDWR | O_NOCTTY)
        guard slave >= 0 else { throw TestSupportError("cannot open \(String(cString: name))") }
    }

    deinit {
        close(slave)
        close(master)
    }

    /// Whether the terminal echoes again (PasswordReader restored its settings).
    var echoes: Bool {
        var settings = termios()
        return tcgetattr(slave, &settings) == 0 && settings.c_lflag & tcflag_t(ECHO) != 0
    }

    func type(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    /// What the terminal shows, up to and including `marker`; waits for it, never for a fixed time.
    func read(until marker: String, timeout: Duration = .seconds(10)) throws -> String {
        let deadline = ContinuousClock.now + timeout
        var bytes: [UInt8] = []
        while !String(decoding: bytes, as: UTF8.self).contains(marker) {
            let left = deadline - ContinuousClock.now
            guard left > .zero else {
                throw TestSupportError("the terminal never showed \(marker.debugDescription); it showed \(bytes)")
            }
            var ready = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, Int32(left.components.seconds * 1000 + 1)) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 256)
            let count = buffer.withUnsafeMutableBytes { Glibc.read(master, $0.baseAddress, $0.count) }
            if count > 0 { bytes += buffer[0..<count] }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Starts `PasswordReader.readFromTerminal` on its own thread, as `envmon users add` would.
    func readPassword() -> PendingPassword {
        let pending = PendingPassword()
        let slave = self.slave
        Thread {
            let outcome = Result { () throws(CLIError) -> String in
                try PasswordReader(input: slave, prompts: slave).readFromTerminal(prompt: "Password for an: ")
            }
            pending.finish(outcome)
        }.start()
        return pending
    }
}

/// The outcome of a password read on another thread.
final class PendingPassword: Sendable {
    private let outcome = Mutex<Result<String, CLIError>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    func finish(_ result: Result<String, CLIError>) {
        outcome.withLock { $0 = result }
        done.signal()
    }

    func result() throws -> String {
        guard done.wait(timeout: .now() + 10) == .success else { throw TestSupportError("the reader never returned") }
        return try outcome.withLock { $0! }.get()
    }

    /// The error's message, once finished with one.
    var message: String? {
        outcome.withLock { outcome in
            if case .failure(let error) = outcome { return error.message }
            return nil
        }
    }
}
