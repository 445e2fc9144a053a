/// One thing wrong with a config file, named by its key path, e.g.
/// `alerts[3].metric: unknown metric "temprature"`.
public struct ConfigIssue: Hashable, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    /// The line in the file, when it could be found.
    public var line: Int?

    public init(path: String, message: String, line: Int? = nil) {
        self.path = path
        self.message = message
        self.line = line
    }

    public var description: String {
        let location = line.map { "line \($0): " } ?? ""
        return path.isEmpty ? "\(location)\(message)" : "\(location)\(path): \(message)"
    }
}

/// Every problem found in one pass over a config file.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var issues: [ConfigIssue]

    public init(_ issues: [ConfigIssue]) { self.issues = issues }

    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
