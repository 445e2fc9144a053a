/// A shell-style name pattern: `*` matches any run of characters (also none), `?` exactly one,
/// everything else itself (case-sensitive, no escapes, no character classes). Alert rules use it
/// for sensor, site and metric names, e.g. `lh-*`, `*-wq-0?`.
public struct GlobPattern: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The pattern as written.
    public let pattern: String
    private let characters: [Character]

    public init(_ pattern: String) {
        self.pattern = pattern
        self.characters = Array(pattern)
    }

    public init(stringLiteral value: String) { self.init(value) }

    /// The pattern that matches every name.
    public static let any = GlobPattern("*")

    /// True when the pattern has no wildcard, so it names exactly one thing.
    public var isLiteral: Bool { !characters.contains("*") && !characters.contains("?") }

    public var description: String { pattern }

    public static func == (lhs: GlobPattern, rhs: GlobPattern) -> Bool { lhs.pattern == rhs.pattern }
    public func hash(into hasher: inout Hasher) { hasher.combine(pattern) }

    /// Whether `name` matches the whole pattern.
    public func matches(_ name: String) -> Bool {
        if isLiteral { return name == pattern }
        let text = Array(name)
        // Iterative matcher with single-star backtracking: linear in practice, never exponential,
        // because only the most recent `*` needs to be retried.
        var t = 0
        var p = 0
        var starP = -1
        var starT = 0
        while t < text.count {
            if p < characters.count, characters[p] == "*" {
                starP = p
                starT = t
                p += 1
            } else if p < characters.count, characters[p] == "?" || characters[p] == text[t] {
                t += 1
                p += 1
            } else if starP >= 0 {
                p = starP + 1
                starT += 1
                t = starT
            } else {
                return false
            }
        }
        while p < characters.count, characters[p] == "*" { p += 1 }
        return p == characters.count
    }
}
