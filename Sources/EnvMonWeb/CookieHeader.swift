/// Reading the `Cookie:` request header and writing `Set-Cookie:` values.
package enum CookieHeader {
    package enum SameSite: String, Sendable {
        /// Never sent with a request started by another site: the console's choice, since no
        /// other site has any reason to link into a logged-in page.
        case strict = "Strict"
        case lax = "Lax"
        /// Needs `secure`.
        case none = "None"
    }

    /// The cookies of one `Cookie:` header, name → value, parsed as browsers send them and as
    /// RFC 6265 §5.2 reads them, tolerantly: pairs split at `;`, spaces and tabs around names and
    /// values dropped, a value in double quotes unquoted, `=` inside a value kept, pairs without a
    /// `=` or a name ignored. For a name sent twice the first wins: browsers send the cookie with
    /// the longest path first, and a cookie planted later by another page cannot override it.
    package static func parse(_ header: String) -> [String: String] {
        parse(headers: [header])
    }

    /// The cookies of every `Cookie:` field of a request (HTTP/2 may split them into several).
    package static func parse(headers: [String]) -> [String: String] {
        var cookies: [String: String] = [:]
        for header in headers {
            for pair in header.split(separator: ";", omittingEmptySubsequences: true) {
                guard let equals = pair.firstIndex(of: "=") else { continue }
                let name = trimmed(pair[..<equals])
                guard !name.isEmpty, cookies[String(name)] == nil else { continue }
                var value = trimmed(pair[pair.index(after: equals)...])
                if value.count >= 2, value.first == "\"", value.last == "\"" { value = value.dropFirst().dropLast() }
                cookies[String(name)] = String(value)
            }
        }
        return cookies
    }

    /// A `Set-Cookie:` value. `maxAge` nil makes a cookie that ends with the browser session.
    /// `secure` is required, not defaulted: the console may be served over plain HTTP on a
    /// station's LAN, where a Secure cookie would never be sent back, so the caller must decide.
    /// Names must be RFC 7230 tokens and values RFC 6265 cookie-octets (tokens from
    /// `RandomToken` are): anything else is a programming error and stops the server.
    package static func setCookie(
        name: String, value: String, maxAge: Duration? = nil, secure: Bool, httpOnly: Bool = true,
        sameSite: SameSite = .strict, path: String = "/"
    ) -> String {
        precondition(isToken(name), "cookie name \(name.debugDescription) is not an RFC 7230 token")
        precondition(
            value.utf8.allSatisfy(isCookieOctet), "cookie value of \(name) has characters a cookie cannot carry")
        precondition(path.hasPrefix("/") && path.utf8.allSatisfy { $0 > 0x1F && $0 != 0x7F && $0 != UInt8(ascii: ";") })
        precondition(sameSite != .none || secure, "browsers refuse SameSite=None without Secure")
        var attributes = ["\(name)=\(value)"]
        if let maxAge { attributes.append("Max-Age=\(max(0, maxAge.components.seconds))") }
        attributes.append("Path=\(path)")
        if secure { attributes.append("Secure") }
        if httpOnly { attributes.append("HttpOnly") }
        attributes.append("SameSite=\(sameSite.rawValue)")
        return attributes.joined(separator: "; ")
    }

    /// A `Set-Cookie:` value that deletes the cookie (logout). The path must be the one it was
    /// set with, or the browser keeps it.
    package static func clearCookie(
        name: String, secure: Bool, httpOnly: Bool = true, sameSite: SameSite = .strict, path: String = "/"
    ) -> String {
        setCookie(
            name: name, value: "", maxAge: .zero, secure: secure, httpOnly: httpOnly, sameSite: sameSite, path: path)
    }

    private static func trimmed(_ text: Substring) -> Substring {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.firstIndex(where: { !isBlank($0) }), let last = text.lastIndex(where: { !isBlank($0) })
        else { return "" }
        return text[first...last]
    }

    /// RFC 7230 tchar: visible ASCII except separators.
    private static func isToken(_ text: String) -> Bool {
        !text.isEmpty
            && text.utf8.allSatisfy { byte in
                byte > 0x20 && byte < 0x7F && !"()<>@,;:\\\"/[]?={}".utf8.contains(byte)
            }
    }

    /// RFC 6265 cookie-octet: visible ASCII except `"`, `,`, `;` and `\`.
    private static func isCookieOctet(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: ",")
            && byte != UInt8(ascii: ";") && byte != UInt8(ascii: "\\")
    }
}
