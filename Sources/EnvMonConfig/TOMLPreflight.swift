/// Finds the mistakes that make toml++ (inside TOMLKit) abort the process instead of reporting a
/// syntax error: toml++ 3.4 asserts, and SwiftPM builds it without NDEBUG, release included, so a
/// typo in /etc/envmon/envmon.toml would kill the daemon on start or on SIGHUP. All were found by
/// the config-loader fuzz target (Fuzz/crashes/): a table header whose first key character is
/// neither bare nor a quote (`[`, `[.sensors]`, `[[[alerts]]`), a missing array value (`[1, }`),
/// and a date-time without a time after its `T` (`2000-01-01T:`).
///
/// It walks the text the way a TOML parser sees statements: outside strings and comments, and
/// headers only where one can begin (a line's first character outside any open array or inline
/// table, so the nested arrays of a multi-line value are not mistaken for headers).
enum TOMLPreflight {
    /// The first construct that would abort toml++: its line and what is wrong. Nil when there is none.
    static func firstProblem(in text: String) -> (line: Int, message: String)? {
        var scanner = Scanner(bytes: Array(text.utf8))
        return scanner.run()
    }

    /// One pass over the text, outside strings and comments, tracking open arrays and inline
    /// tables. Besides headers it checks the two other places the fuzzer found toml++ asserting
    /// instead of reporting: a value missing after `[` or `,` in an array (`[1, }`), and a
    /// date-time with no digit after its `T` (`2000-01-01T:`).
    struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var line = 1
        /// `[` for an open array value, `{` for an open inline table.
        var open: [UInt8] = []

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func run() -> (line: Int, message: String)? {
            var atLineStart = true
            while index < bytes.count {
                if atLineStart {
                    atLineStart = false
                    skipBlanks()
                    if open.isEmpty, index < bytes.count, bytes[index] == 0x5B {
                        if let problem = TOMLPreflight.headerProblem(bytes, from: index) { return (line, problem) }
                        // Skip the header itself: its brackets are not a value's.
                        while index < bytes.count, bytes[index] != 0x0A, bytes[index] != 0x23 {
                            if bytes[index] == 0x22 || bytes[index] == 0x27 { skipString() } else { index += 1 }
                        }
                        continue
                    }
                }
                guard index < bytes.count else { break }
                switch bytes[index] {
                case 0x0A:
                    line += 1
                    atLineStart = true
                    index += 1
                case 0x23:  // comment to the end of the line
                    while index < bytes.count, bytes[index] != 0x0A { index += 1 }
                case 0x22, 0x27:
                    skipString()
                case 0x3D:  // `=`: a value follows
                    index += 1
                    if let problem = valueProblem(afterNewlines: false) { return problem }
                case 0x5B:
                    open.append(0x5B)
                    index += 1
                    if let problem = valueProblem(afterNewlines: true, closing: true) { return problem }
                case 0x7B:
                    open.append(0x7B)
                    index += 1
                case 0x5D, 0x7D:
                    if !open.isEmpty { open.removeLast() }
                    index += 1
                case 0x2C:
                    index += 1
                    if open.last == 0x5B, let problem = valueProblem(afterNewlines: true, closing: true) {
                        return problem
                    }
                default:
                    index += 1
                }
            }
            return nil
        }

        /// Looks at where a value must begin (without moving): not `}` or `,`, and a date
        /// followed by `T` must have a digit after it.
        func valueProblem(afterNewlines: Bool, closing: Bool = false) -> (line: Int, message: String)? {
            var position = index
            var valueLine = line
            while position < bytes.count {
                let byte = bytes[position]
                if byte == 0x20 || byte == 0x09 || byte == 0x0D {
                    position += 1
                } else if afterNewlines, byte == 0x0A {
                    valueLine += 1
                    position += 1
                } else if afterNewlines, byte == 0x23 {
                    while position < bytes.count, bytes[position] != 0x0A { position += 1 }
                } else {
                    break
                }
            }
            guard position < bytes.count else { return nil }
            let byte = bytes[position]
            if byte == 0x7D || byte == 0x2C || (byte == 0x5D && !closing) {
                return (valueLine, "a value is missing before \"\(Character(UnicodeScalar(byte)))\"")
            }
            // YYYY-MM-DD then T or t: toml++ then expects a time and asserts on anything else.
            func digit(_ offset: Int) -> Bool {
                position + offset < bytes.count && bytes[position + offset] >= 0x30 && bytes[position + offset] <= 0x39
            }
            func has(_ value: UInt8, at offset: Int) -> Bool {
                position + offset < bytes.count && bytes[position + offset] == value
            }
            if digit(0), digit(1), digit(2), digit(3), has(0x2D, at: 4), digit(5), digit(6), has(0x2D, at: 7),
                digit(8), digit(9), has(0x54, at: 10) || has(0x74, at: 10), !digit(11)
            {
                return (valueLine, "a date-time needs a time (HH:MM:SS) after its T")
            }
            return nil
        }

        mutating func skipBlanks() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        }

        func starts(with pattern: [UInt8], at position: Int) -> Bool {
            position + pattern.count <= bytes.count && Array(bytes[position..<position + pattern.count]) == pattern
        }

        /// Skips a string starting at `index`; counts the newlines of multi-line ones.
        mutating func skipString() {
            let quote = bytes[index]
            let delimiter = [quote, quote, quote]
            let triple = starts(with: delimiter, at: index)
            index += triple ? 3 : 1
            while index < bytes.count {
                let byte = bytes[index]
                if byte == 0x0A {
                    if !triple { return }  // an unterminated one-line string: the parser reports it
                    line += 1
                } else if byte == 0x5C, quote == 0x22 {
                    index += 2
                    continue
                } else if byte == quote, !triple || starts(with: delimiter, at: index) {
                    index += triple ? 3 : 1
                    return
                }
                index += 1
            }
        }
    }

    /// What is wrong with the header starting at `start` (a `[`), or nil.
    static func headerProblem(_ bytes: [UInt8], from start: Int) -> String? {
        var index = start + 1
        if index < bytes.count, bytes[index] == 0x5B { index += 1 }
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        guard index < bytes.count else { return "table header is not closed" }
        let byte = bytes[index]
        let bare =
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == 0x2D || byte == 0x5F
        if bare || byte == 0x22 || byte == 0x27 || byte == 0x5D { return nil }
        if byte == 0x0A || byte == 0x0D { return "table header is not closed on its line" }
        if byte == 0x5B { return "too many [ in a table header (use [table] or [[array-of-tables]])" }
        let shown = byte < 0x80 ? String(UnicodeScalar(byte)) : "a non-ASCII character"
        return "table header starts with \"\(shown)\"; a key must start with a letter, digit, - or _, or be quoted"
    }
}
