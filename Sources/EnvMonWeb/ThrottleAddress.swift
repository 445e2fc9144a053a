#if canImport(Glibc)
    internal import Glibc
#endif

/// The key a remote address is counted under by `LoginThrottle`. An IPv6 host usually holds a
/// whole /64 (2^64 addresses), so IPv6 addresses count by their /64 prefix; otherwise one
/// attacker could try five passwords from each of them. IPv4-mapped IPv6 addresses count as the
/// IPv4 address, and a port, brackets or zone are dropped so each connection counts the same.
enum ThrottleAddress {
    static func key(_ address: String) -> String {
        let host = hostPart(of: address)
        var bytes = [UInt8](repeating: 0, count: 16)
        if inet_pton(AF_INET, host, &bytes) == 1 {
            return bytes[0..<4].map(String.init).joined(separator: ".")
        }
        guard inet_pton(AF_INET6, host, &bytes) == 1 else { return address }
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            return bytes[12..<16].map(String.init).joined(separator: ".")
        }
        let groups = stride(from: 0, to: 8, by: 2).map {
            String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16)
        }
        return groups.joined(separator: ":") + "::/64"
    }

    /// `[2001:db8::1]:443` → `2001:db8::1`, `192.0.2.1:5000` → `192.0.2.1`, `fe80::1%eth0` → `fe80::1`.
    private static func hostPart(of address: String) -> String {
        var host = Substring(address)
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            host = host[host.index(after: host.startIndex)..<close]
        } else if host.filter({ $0 == ":" }).count == 1, let colon = host.firstIndex(of: ":") {
            host = host[..<colon]
        }
        if let zone = host.firstIndex(of: "%") { host = host[..<zone] }
        return String(host)
    }
}
