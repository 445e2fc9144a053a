/// Where a store lives, as `--db` and `[daemon] database` name it: a SQLite file's path (bare,
/// or `sqlite:PATH`), or a PostgreSQL database (`postgres://USER@HOST[:PORT]/DATABASE`).
package enum StoreLocation: Hashable, Sendable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    /// Reads `--db`'s text; a URL scheme this build does not know is refused by name rather than
    /// taken for a file name.
    package init(_ text: String) throws(StoreError) {
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw StoreError(.invalidArgument, "\(text): no file after sqlite:") }
            self = .sqlite(path: path)
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(try PostgresLocation(url: text))
        } else if let scheme = text.firstRange(of: "://").map({ String(text[..<$0.lowerBound]) }),
            !scheme.isEmpty, !scheme.contains("/")
        {
            throw StoreError(
                .invalidArgument,
                "\(text): unknown store scheme \(scheme):// (a SQLite file's path, sqlite:PATH or postgres://USER@HOST/DATABASE)"
            )
        } else {
            guard !text.isEmpty else { throw StoreError(.invalidArgument, "the database location is empty") }
            self = .sqlite(path: text)
        }
    }

    /// The file of a SQLite store (nil for a server's).
    package var sqlitePath: String? {
        switch self {
        case .sqlite(let path): path
        case .postgres: nil
        }
    }

    package var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let location): location.description
        }
    }
}
