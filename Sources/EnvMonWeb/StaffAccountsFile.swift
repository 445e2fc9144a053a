/// The users file as lines, so that rewriting it for one account keeps the administrator's
/// comments, blank lines and order.
struct StaffAccountsFile {
    enum Line {
        /// A comment or blank line, kept as written.
        case other(String)
        case account(name: String, hash: String)
    }

    private(set) var lines: [Line] = []

    init() {}

    /// Parses the file's bytes; `path` only names the file in errors.
    init(bytes: [UInt8], path: String) throws(StaffAccountsError) {
        var split = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if split.last?.isEmpty == true { split.removeLast() }
        var firstLines: [String: Int] = [:]
        for (index, raw) in split.enumerated() {
            let number = index + 1
            guard let text = String(validating: raw, as: UTF8.self) else {
                throw .malformedLine(file: path, line: number, reason: "not UTF-8 text")
            }
            let content = text.trimmingBlanks
            if content.isEmpty || content.hasPrefix("#") {
                lines.append(.other(text))
                continue
            }
            guard let colon = content.firstIndex(of: ":") else {
                throw .malformedLine(file: path, line: number, reason: "expected name:bcrypt-hash, found no ':'")
            }
            let name = String(content[..<colon])
            let hash = String(content[content.index(after: colon)...])
            do {
                try StaffAccountRules.validate(name: name)
            } catch {
                throw .malformedLine(file: path, line: number, reason: error.description)
            }
            guard StaffAccountRules.isBcryptHash(hash) else {
                throw .malformedLine(
                    file: path, line: number,
                    reason: "the part after \"\(name):\" is not a bcrypt hash ($2b$, a cost, $, 53 characters)")
            }
            if let first = firstLines[name] {
                throw .duplicateName(file: path, line: number, name: name, firstLine: first)
            }
            firstLines[name] = number
            lines.append(.account(name: name, hash: hash))
        }
    }

    var accounts: [(name: String, hash: String)] {
        lines.compactMap { line in
            guard case .account(let name, let hash) = line else { return nil }
            return (name, hash)
        }
    }

    func hash(of name: String) -> String? {
        accounts.first { $0.name == name }?.hash
    }

    /// Replaces the hash of `name` where it stands, or appends the account.
    mutating func set(_ name: String, hash: String) {
        if let index = index(of: name) {
            lines[index] = .account(name: name, hash: hash)
        } else {
            lines.append(.account(name: name, hash: hash))
        }
    }

    /// Removes `name`; false when there was no such account.
    mutating func remove(_ name: String) -> Bool {
        guard let index = index(of: name) else { return false }
        lines.remove(at: index)
        return true
    }

    var bytes: [UInt8] {
        var output: [UInt8] = []
        for line in lines {
            switch line {
            case .other(let text): output.append(contentsOf: text.utf8)
            case .account(let name, let hash): output.append(contentsOf: "\(name):\(hash)".utf8)
            }
            output.append(UInt8(ascii: "\n"))
        }
        return output
    }

    private func index(of name: String) -> Int? {
        lines.firstIndex { line in
            if case .account(let existing, _) = line { return existing == name }
            return false
        }
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and carriage returns (files edited on Windows).
    fileprivate var trimmingBlanks: Substring {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else {
            return ""
        }
        return self[first...last]
    }
}
