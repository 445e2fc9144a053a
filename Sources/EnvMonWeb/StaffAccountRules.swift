/// What a staff account name, password and stored hash may look like.
package enum StaffAccountRules {
    package static let maximumNameLength = 64
    package static let minimumPasswordCharacters = 10
    /// bcrypt ignores everything after the 72nd byte, so a longer password would be accepted
    /// with any ending: refused rather than silently shortened.
    package static let maximumPasswordBytes = 72

    /// 1 to 64 characters, each a letter of any script (Vietnamese ones with their diacritics,
    /// precomposed or combining), an ASCII digit, `.`, `_` or `-`. No colon, space or `#`, so
    /// that a line of the file can always be told apart from a comment and split in two.
    package static func validate(name: String) throws(StaffAccountsError) {
        guard !name.isEmpty else { throw .invalidName(name, reason: "it is empty") }
        guard name.count <= maximumNameLength else {
            throw .invalidName(name, reason: "longer than \(maximumNameLength) characters")
        }
        if let bad = name.first(where: { !isNameCharacter($0) }) {
            throw .invalidName(
                name, reason: "\(bad.debugDescription) is not allowed (use letters, digits, '.', '_' and '-')")
        }
    }

    package static func validate(password: String) throws(StaffAccountsError) {
        guard password.count >= minimumPasswordCharacters else {
            throw .passwordTooShort(minimumCharacters: minimumPasswordCharacters)
        }
        guard password.utf8.count <= maximumPasswordBytes else {
            throw .passwordTooLong(maximumBytes: maximumPasswordBytes, bytes: password.utf8.count)
        }
        // A NUL would also end the password early in bcrypt's C code.
        guard !password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .passwordHasControlCharacters
        }
    }

    /// Whether `password` could have been stored at all; others are never checked against a
    /// hash, since bcrypt would compare only a prefix of them (72 bytes, or up to a NUL).
    static func isVerifiable(_ password: String) -> Bool {
        password.utf8.count <= maximumPasswordBytes && !password.utf8.contains(0)
    }

    /// `$2a$`, `$2b$` or `$2y$` (htpasswd's), a two-digit cost from 04 to 31, `$`, and 53
    /// characters of bcrypt's base64: 22 of salt and 31 of hash.
    package static func isBcryptHash(_ hash: String) -> Bool {
        let bytes = Array(hash.utf8)
        guard bytes.count == 60, bytes[0] == UInt8(ascii: "$"), bytes[1] == UInt8(ascii: "2"),
            [UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "y")].contains(bytes[2]),
            bytes[3] == UInt8(ascii: "$"), bytes[6] == UInt8(ascii: "$"), let cost = cost(ofHash: hash),
            (4...31).contains(cost)
        else { return false }
        return bytes[7...].allSatisfy { byte in
            byte == UInt8(ascii: ".") || byte == UInt8(ascii: "/")
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
    }

    /// The cost (log2 of the rounds) written in a bcrypt hash, such as 12 in `$2b$12$…`.
    package static func cost(ofHash hash: String) -> UInt8? {
        let bytes = Array(hash.utf8.prefix(7))
        guard bytes.count == 7, bytes[6] == UInt8(ascii: "$") else { return nil }
        let digits = bytes[4...5].map { Int($0) - Int(UInt8(ascii: "0")) }
        guard digits.allSatisfy({ (0...9).contains($0) }) else { return nil }
        return UInt8(digits[0] * 10 + digits[1])
    }

    private static func isNameCharacter(_ character: Character) -> Bool {
        if character == "." || character == "_" || character == "-" { return true }
        if let ascii = character.asciiValue {
            return (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(ascii) || isLetter(Unicode.Scalar(ascii))
        }
        var scalars = character.unicodeScalars.makeIterator()
        guard let first = scalars.next(), isLetter(first) else { return false }
        // Combining diacritics after the letter: "ễ" may arrive as e + U+0302 + U+0303.
        while let mark = scalars.next() {
            switch mark.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: continue
            default: return false
            }
        }
        return true
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: true
        default: false
        }
    }
}
