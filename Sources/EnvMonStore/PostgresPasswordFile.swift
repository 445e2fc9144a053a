internal import Foundation

/// libpq's password file (`hostname:port:database:username:password`, `*` for any, `\:` and `\\`
/// escaped, `#` comments), read as psql reads it, so the file an administrator already keeps for
/// psql serves EnvMon too. Unlike libpq, which skips a file others may read with a warning, this
/// refuses it by name: a silently ignored password file is a puzzling login failure.
struct PostgresPasswordFile {
    let path: String

    func password(host: String, port: Int, database: String, user: String) throws(StoreError) -> String? {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw StoreError(
                .cannotOpen, "\(path): cannot read the password file (\(String(cString: strerror(errno))))")
        }
        guard status.st_mode & 0o077 == 0 else {
            throw StoreError(
                .cannotOpen,
                "\(path): the password file may be read by others (mode \(String(status.st_mode & 0o777, radix: 8))); chmod 600 it"
            )
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw StoreError(.cannotOpen, "\(path): cannot read the password file as UTF-8 text")
        }
        let wanted = [host, String(port), database, user]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = Self.fields(of: line)
            guard fields.count == 5 else { continue }
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// The colon-separated fields of one line, escapes undone.
    static func fields(of line: Substring) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" && fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}
