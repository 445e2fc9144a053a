/// `[web]`: the console `envmon serve` runs (issue 16).
package struct WebSettings: Hashable, Sendable {
    /// host:port. Loopback unless an operator names a LAN address on purpose.
    package var listen = "127.0.0.1:8080"
    /// Staff accounts (`name:bcrypt-hash` lines), managed by `envmon users`.
    package var usersFile = "/etc/envmon/web-users"
    /// Sessions end this long after login.
    package var sessionLifetime: Duration = .seconds(12 * 3600)
    /// Marks the session cookie `Secure`: set when the console is reached through HTTPS (a TLS
    /// reverse proxy); browsers then never send it over plain HTTP.
    package var secureCookie = false
    /// A sensor is stale when nothing came for this many of its intervals.
    package var staleIntervals = 3

    package init() {}

    /// The host and port of `listen`, or nil when it is not host:port with a port in 1–65535.
    package static func parseListen(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else {
            return nil
        }
        return (host, port)
    }
}
