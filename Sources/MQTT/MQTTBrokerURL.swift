/// `mqtt://host[:port]` (plain TCP, default 1883) or `mqtts://host[:port]` (TLS, default 8883).
/// IPv6 literals go in brackets: `mqtt://[::1]:1883`.
package struct MQTTBrokerURL: Sendable, Equatable, CustomStringConvertible {
    package var host: String
    package var port: Int
    package var usesTLS: Bool

    package init(host: String, port: Int? = nil, usesTLS: Bool = false) {
        self.host = host
        self.port = port ?? (usesTLS ? 8883 : 1883)
        self.usesTLS = usesTLS
    }

    package init(_ string: String) throws(MQTTError) {
        func invalid(_ why: String) -> MQTTError {
            .configuration("broker URL \"\(string)\"", why)
        }
        let rest: Substring
        if string.hasPrefix("mqtt://") {
            usesTLS = false
            rest = string.dropFirst("mqtt://".count)
        } else if string.hasPrefix("mqtts://") {
            usesTLS = true
            rest = string.dropFirst("mqtts://".count)
        } else {
            throw invalid("expected mqtt://host[:port] or mqtts://host[:port]")
        }
        var authority = rest
        if authority.hasSuffix("/") { authority = authority.dropLast() }
        if authority.contains("/") || authority.contains("@") || authority.contains("?") {
            throw invalid("only host and port are allowed (credentials go in username/password)")
        }
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw invalid("unclosed [ in IPv6 host") }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw invalid("expected :port after ]") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            portText = authority[authority.index(after: colon)...]
        } else {
            host = String(authority)
        }
        guard !host.isEmpty else { throw invalid("missing host") }
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else {
                throw invalid("port must be a number from 1 to 65535")
            }
            port = value
        } else {
            port = usesTLS ? 8883 : 1883
        }
    }

    package var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(usesTLS ? "mqtts" : "mqtt")://\(shownHost):\(port)"
    }
}
