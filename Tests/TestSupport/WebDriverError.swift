/// A WebDriver command that failed: chromedriver's answer (`value.error`, `value.message`), or, when
/// no answer came, what went wrong on the way (`error` is then "no response" or "invalid response").
package struct WebDriverError: Error, CustomStringConvertible, Sendable {
    /// The W3C error code: "no such element", "stale element reference", "javascript error",
    /// "timeout", "session not created", ...
    package var error: String
    /// chromedriver's explanation (for "no such element" it names the selector).
    package var message: String
    /// The command that failed, as "METHOD /path" (or the helper's name, for `waitUntil`).
    package var command: String
    /// The HTTP status of the answer, nil when there was none.
    package var httpStatus: Int?

    package init(error: String, message: String, command: String, httpStatus: Int? = nil) {
        self.error = error
        self.message = message
        self.command = command
        self.httpStatus = httpStatus
    }

    package var description: String {
        let status = httpStatus.map { " (HTTP \($0))" } ?? ""
        // chromedriver's messages mostly start with the code already ("no such element: Unable to ...").
        let explanation = message.hasPrefix(error) ? message : "\(error): \(message)"
        return "WebDriver \(command) failed\(status): \(explanation)"
    }
}
