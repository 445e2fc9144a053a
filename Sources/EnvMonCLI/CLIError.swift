/// A failure the CLI reports in one line and maps to an exit code: 1 nothing found, 2 bad usage
/// or input (including a missing or foreign database).
package struct CLIError: Error, CustomStringConvertible, Sendable {
    package var message: String
    package var exitCode: Int32

    package init(_ message: String, exitCode: Int32 = 2) {
        self.message = message
        self.exitCode = exitCode
    }

    package var description: String { message }

    static func nothingFound(_ what: String) -> CLIError { CLIError(what, exitCode: 1) }
}
