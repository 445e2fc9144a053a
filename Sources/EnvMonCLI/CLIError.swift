/// A failure the CLI reports in one line and maps to an exit code: 1 nothing found, 2 bad usage
/// or input (including a missing or foreign database).
public struct CLIError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var exitCode: Int32

    public init(_ message: String, exitCode: Int32 = 2) {
        self.message = message
        self.exitCode = exitCode
    }

    public var description: String { message }

    static func nothingFound(_ what: String) -> CLIError { CLIError(what, exitCode: 1) }
}
