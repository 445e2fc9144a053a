internal import Foundation

/// A PostgreSQL store, as `--db` or `[daemon] database` name it:
/// `postgres://USER@HOST[:PORT]/DATABASE[?sslmode=disable|require|verify-full&passfile=PATH]`.
///
/// The password is not meant to be in the URL (configs are readable by staff, URLs end up in
/// logs): it comes from a libpq password file, `passfile=` or else `PGPASSFILE` or `~/.pgpass`,
/// as psql finds it, so one file serves envmond, the CLI and psql alike.
package struct PostgresLocation: Hashable, Sendable, CustomStringConvertible {
    package enum TLSMode: String, Hashable, Sendable {
        /// Plain TCP (a server on the same host or a trusted LAN).
        case disable
        /// Encrypted, the server's certificate not checked (libpq's `require`).
        case require
        /// Encrypted, the certificate checked against the system's CAs and the host name.
        case verifyFull = "verify-full"
    }

    package var host: String
    package var port: Int
    package var user: String
    package var database: String
    package var tls: TLSMode
    package var passwordFile: String?
    /// A password written into the URL: accepted (psql does), never printed.
    var urlPassword: String?

    package init(url text: String) throws(StoreError) {
        guard let components = URLComponents(string: text),
            components.scheme == "postgres" || components.scheme == "postgresql"
        else {
            throw StoreError(.invalidArgument, "\(Self.redacted(text)): not a postgres://USER@HOST/DATABASE URL")
        }
        guard let host = components.host, !host.isEmpty else {
            throw StoreError(.invalidArgument, "\(Self.redacted(text)): no host (postgres://USER@HOST/DATABASE)")
        }
        guard let user = components.user, !user.isEmpty else {
            throw StoreError(.invalidArgument, "\(Self.redacted(text)): no user (postgres://USER@HOST/DATABASE)")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw StoreError(.invalidArgument, "\(Self.redacted(text)): no database (postgres://USER@HOST/DATABASE)")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.user = user.removingPercentEncoding ?? user
        self.database = database.removingPercentEncoding ?? database
        self.urlPassword = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.tls = .disable
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else {
                    throw StoreError(
                        .invalidArgument,
                        "\(Self.redacted(text)): sslmode=\(item.value ?? "") (use disable, require or verify-full)")
                }
                tls = mode
            case "passfile":
                guard let path = item.value, !path.isEmpty else {
                    throw StoreError(.invalidArgument, "\(Self.redacted(text)): passfile= names no file")
                }
                passwordFile = path
            default:
                throw StoreError(
                    .invalidArgument,
                    "\(Self.redacted(text)): unknown parameter \(item.name) (known: sslmode, passfile)")
            }
        }
    }

    /// The URL without any password.
    package var description: String {
        var text = "postgres://\(user)@\(host):\(port)/\(database)"
        var parameters: [String] = []
        if tls != .disable { parameters.append("sslmode=\(tls.rawValue)") }
        if let passwordFile { parameters.append("passfile=\(passwordFile)") }
        if !parameters.isEmpty { text += "?" + parameters.joined(separator: "&") }
        return text
    }

    /// The password for this location: the URL's, else the first matching line of the password
    /// file (`passfile=`, else `environment["PGPASSFILE"]`, else `~/.pgpass`); nil when none
    /// matches (the server may not ask: trust or peer authentication).
    package func password(environment: [String: String]) throws(StoreError) -> String? {
        if let urlPassword { return urlPassword }
        let explicit = passwordFile ?? environment["PGPASSFILE"]
        guard let file = explicit ?? environment["HOME"].map({ $0 + "/.pgpass" }) else { return nil }
        guard FileManager.default.fileExists(atPath: file) else {
            if explicit != nil { throw StoreError(.cannotOpen, "\(file): no such password file") }
            return nil
        }
        return try PostgresPasswordFile(path: file).password(host: host, port: port, database: database, user: user)
    }

    private static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "****"
        return components.string ?? "the URL"
    }
}
