/// Finds the table-header mistakes that make toml++ (inside TOMLKit) abort the process instead
/// of reporting a syntax error: a header whose first key character is neither a bare-key
/// character nor a quote (`[`, `[.sensors]`, `[[[alerts]]`, `[ ` at the end of a line). toml++
/// 3.x asserts there, in release builds too, so a typo in /etc/envmon/envmon.toml would kill the
/// daemon on start or on SIGHUP. Found by the config-loader fuzz target (Fuzz/crashes/).
///
/// It walks the text the way a TOML parser sees statements: outside strings and comments, and
/// only where a header can begin (a line's first character at bracket depth 0, so the nested
/// arrays of a multi-line value are not mistaken for headers).
enum TOMLPreflight {
    /// The first malformed table header: its line and what is wrong. Nil when there is none.
    static func firstProblem(in text: String) -> (line: Int, message: String)? {
        let bytes = Array(text.utf8)
        var index = 0
        var line = 1
        var depth = 0
        var atLineStart = true

        func skipBlanks() { while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 } }
        func starts(with literal: String, at position: Int) -> Bool {
            let pattern = Array(literal.utf8)
            return position + pattern.count <= bytes.count
                && Array(bytes[position..<position + pattern.count]) == pattern
        }
        // Skips a string starting at `index`; counts the newlines of multi-line ones.
        func skipString() {
            let quote = bytes[index]
            let triple = starts(with: quote == 0x22 ? "\"\"\"" : "'''", at: index)
            index += triple ? 3 : 1
            while index < bytes.count {
                let byte = bytes[index]
                if byte == 0x0A {
                    if !triple { return }  // an unterminated one-line string: the parser reports it
                    line += 1
                } else if byte == 0x5C, quote == 0x22 {
                    index += 2
                    continue
                } else if byte == quote, !triple || starts(with: quote == 0x22 ? "\"\"\"" : "'''", at: index) {
                    index += triple ? 3 : 1
                    return
                }
                index += 1
            }
        }

        while index < bytes.count {
            if atLineStart {
                atLineStart = false
                skipBlanks()
                if depth == 0, index < bytes.count, bytes[index] == 0x5B {
                    if let problem = headerProblem(bytes, from: index) { return (line, problem) }
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
            case 0x5B:
                depth += 1
                index += 1
            case 0x5D:
                depth = max(0, depth - 1)
                index += 1
            default:
                index += 1
            }
        }
        return nil
    }

    /// What is wrong with the header starting at `start` (a `[`), or nil.
    private static func headerProblem(_ bytes: [UInt8], from start: Int) -> String? {
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
