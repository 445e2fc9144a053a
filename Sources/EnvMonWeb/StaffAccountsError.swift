#if canImport(Glibc)
    internal import Glibc
#endif

/// What can go wrong with the staff users file, worded for the administrator who runs
/// `envmon users` or reads the log of `envmon serve`.
package enum StaffAccountsError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformedLine(file: String, line: Int, reason: String)
    case duplicateName(file: String, line: Int, name: String, firstLine: Int)
    case nameExists(file: String, name: String)
    case unknownName(file: String, name: String)
    case invalidName(String, reason: String)
    case passwordTooShort(minimumCharacters: Int)
    case passwordTooLong(maximumBytes: Int, bytes: Int)
    case passwordHasControlCharacters
    case costOutOfRange(UInt8)
    case fileSystem(file: String, action: String, errno: Int32)

    package var description: String {
        switch self {
        case .malformedLine(let file, let line, let reason):
            "\(file):\(line): \(reason)"
        case .duplicateName(let file, let line, let name, let firstLine):
            "\(file):\(line): staff account \"\(name)\" appears again (first on line \(firstLine))"
        case .nameExists(let file, let name):
            "staff account \"\(name)\" already exists in \(file)"
        case .unknownName(let file, let name):
            "no staff account \"\(name)\" in \(file)"
        case .invalidName(let name, let reason):
            "invalid staff account name \"\(name)\": \(reason)"
        case .passwordTooShort(let minimum):
            "password too short: use at least \(minimum) characters"
        case .passwordTooLong(let maximum, let bytes):
            "password too long: bcrypt reads at most \(maximum) bytes and this one has \(bytes) "
                + "(a Vietnamese letter with diacritics takes 2 or 3)"
        case .passwordHasControlCharacters:
            "password contains control characters (such as a line break), which the login form cannot send"
        case .costOutOfRange(let cost):
            "bcrypt cost \(cost) is outside 4...31"
        case .fileSystem(let file, let action, let code):
            "cannot \(action) \(file): \(String(cString: strerror(code)))"
        }
    }
}
