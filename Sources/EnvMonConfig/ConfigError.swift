/// One thing wrong with a config file, named by its key path, e.g.
/// `alerts[3].metric: unknown metric "temprature"`.
package struct ConfigIssue: Hashable, Sendable, CustomStringConvertible {
    package var path: String
    package var message: String
    /// The line in the file, when it could be found.
    package var line: Int?

    package init(path: String, message: String, line: Int? = nil) {
        self.path = path
        self.message = message
        self.line = line
    }

    package var description: String {
        let location = line.map { "line \($0): " } ?? ""
        return path.isEmpty ? "\(location)\(message)" : "\(location)\(path): \(message)"
    }
}

/// Every problem found in one pass over a config file.
package struct ConfigError: Error, Sendable, CustomStringConvertible {
    package var issues: [ConfigIssue]

    package init(_ issues: [ConfigIssue]) { self.issues = issues }

    package var description: String { issues.map(\.description).joined(separator: "\n") }
}
