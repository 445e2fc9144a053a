internal import EnvMonWeb
internal import SystemSupport

#if canImport(Glibc)
    internal import Glibc
#endif

/// Reads a new staff password for `envmon users add`: from a file, from standard input, or
/// typed twice at the terminal without echo. Never from an argument, which `ps` would show to
/// every user of the machine.
package struct PasswordReader {
    /// Where the password is read from when it is not in a file (standard input).
    package var input: Int32
    /// Where the terminal prompts go (standard error, so that standard output stays clean).
    package var prompts: Int32

    /// A password longer than this is certainly not one line typed or pasted.
    private static let maximumBytes = 4096

    package init(input: Int32 = 0, prompts: Int32 = 2) {
        self.input = input
        self.prompts = prompts
    }

    /// From `file` if given; else from standard input if `fromStandardInput` or if standard
    /// input is not a terminal (a pipe or a here-document); else typed twice at the terminal.
    package func password(file: String?, fromStandardInput: Bool, prompt: String) throws(CLIError) -> String {
        if let file { return try read(file: file) }
        if fromStandardInput || isatty(input) != 1 { return try readStream() }
        return try readFromTerminal(prompt: prompt)
    }

    /// The first line of `file` (one trailing line break is not part of it).
    package func read(file: String) throws(CLIError) -> String {
        let descriptor = open(file, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw CLIError("cannot read --password-file \(file): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        return try Self.oneLine(try Self.readAll(descriptor, from: file), from: file)
    }

    /// Everything on `input` up to its end, which must be a single line.
    package func readStream() throws(CLIError) -> String {
        try Self.oneLine(try Self.readAll(input, from: "standard input"), from: "standard input")
    }

    /// Asks twice with echo off and insists on the same answer. The terminal is put in
    /// character-at-a-time mode with signals off, so that Ctrl-C arrives as a character and
    /// cancels at once, and the terminal's settings are always restored (a signal would kill the
    /// process with echo still off).
    package func readFromTerminal(prompt: String) throws(CLIError) -> String {
        var original = termios()
        guard tcgetattr(input, &original) == 0 else {
            throw CLIError("cannot read the terminal settings: \(String(cString: strerror(errno)))")
        }
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO | ICANON | ISIG)
        withUnsafeMutableBytes(of: &silent.c_cc) { controls in
            controls[Int(VMIN)] = 1
            controls[Int(VTIME)] = 0
        }
        // TCSAFLUSH: anything typed ahead (and already echoed) is discarded, not taken as the password.
        guard tcsetattr(input, TCSAFLUSH, &silent) == 0 else {
            throw CLIError("cannot turn off the terminal's echo: \(String(cString: strerror(errno)))")
        }
        defer { _ = tcsetattr(input, TCSANOW, &original) }
        let first = try ask(prompt)
        // Checked before asking again, so a password the file would refuse need not be typed twice.
        do {
            try StaffAccountRules.validate(password: first)
        } catch {
            throw CLIError(error.description)
        }
        guard try ask("Repeat the password: ") == first else { throw CLIError("the two passwords differ") }
        return first
    }

    /// One line typed without echo, with the editing keys a line would have: Backspace removes the
    /// last character (all bytes of it), Ctrl-U the whole line, Enter or Ctrl-D ends, Ctrl-C cancels.
    private func ask(_ prompt: String) throws(CLIError) -> String {
        StandardStreams.write(prompt, to: prompts)
        var line: [UInt8] = []
        var byte: UInt8 = 0
        reading: while true {
            let count = Glibc.read(input, &byte, 1)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            switch byte {
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"), 0x04:
                break reading
            case 0x03:
                StandardStreams.write("\n", to: prompts)
                throw CLIError("cancelled")
            case 0x7F, 0x08:
                // UTF-8 continuation bytes are 10xxxxxx: drop them and the lead byte before them.
                while let last = line.popLast(), last & 0xC0 == 0x80 {}
            case 0x15:
                line.removeAll()
            case ..<0x20:
                continue
            default:
                guard line.count < Self.maximumBytes else { throw CLIError("the password is far too long") }
                line.append(byte)
            }
        }
        // Echo was off, so the user's Enter did not move to a new line.
        StandardStreams.write("\n", to: prompts)
        guard let text = String(validating: line, as: UTF8.self) else {
            throw CLIError("the password is not UTF-8 text (check the terminal's encoding)")
        }
        return text
    }

    private static func readAll(_ descriptor: Int32, from source: String) throws(CLIError) -> [UInt8] {
        let contents: [UInt8]?
        do {
            contents = try FileDescriptorReader.readAll(descriptor, limit: maximumBytes)
        } catch {
            throw CLIError("cannot read \(source): \(error)")
        }
        guard let contents else { throw CLIError("\(source) is too long to hold a password") }
        return contents
    }

    private static func oneLine(_ bytes: [UInt8], from source: String) throws(CLIError) -> String {
        var bytes = bytes[...]
        if bytes.last == UInt8(ascii: "\n") { bytes = bytes.dropLast() }
        if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
        guard !bytes.contains(UInt8(ascii: "\n")) else {
            throw CLIError("\(source) has more than one line; the password must be a single line")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw CLIError("\(source) is not UTF-8 text") }
        return text
    }
}
