/// A shell-style name pattern: `*` matches any run of characters (also none), `?` exactly one,
/// everything else itself (case-sensitive, no escapes, no character classes). Alert rules use it
/// for sensor, site and metric names, e.g. `lh-*`, `*-wq-0?`.
package struct GlobPattern: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The pattern as written.
    package let pattern: String
    private let characters: [Character]

    package init(_ pattern: String) {
        self.pattern = pattern
        self.characters = Array(pattern)
    }

    package init(stringLiteral value: String) { self.init(value) }

    /// The pattern that matches every name.
    package static let any = GlobPattern("*")

    /// True when the pattern has no wildcard, so it names exactly one thing.
    package var isLiteral: Bool { !characters.contains("*") && !characters.contains("?") }

    package var description: String { pattern }

    package static func == (lhs: GlobPattern, rhs: GlobPattern) -> Bool { lhs.pattern == rhs.pattern }
    package func hash(into hasher: inout Hasher) { hasher.combine(pattern) }

    /// Whether `name` matches the whole pattern.
    package func matches(_ name: String) -> Bool {
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
