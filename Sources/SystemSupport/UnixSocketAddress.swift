#if canImport(Glibc)
    package import Glibc
#endif

/// A `sockaddr_un` for a socket path, with its length. A path starting with `@` names Linux's
/// abstract namespace, as `$NOTIFY_SOCKET` does: the name then starts with a NUL byte.
package struct UnixSocketAddress {
    private var address = sockaddr_un()
    /// The bytes of the address that count: the family and the path, with the path's NUL
    /// terminator, or without one for an abstract name (whose length is part of the name).
    package let length: socklen_t

    /// Nil when the path does not fit in `sun_path` (107 bytes and the terminating NUL).
    package init?(path: String) {
        var bytes = Array(path.utf8)
        let abstract = bytes.first == UInt8(ascii: "@")
        if abstract { bytes[0] = 0 }
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return nil }
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
        }
        length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (abstract ? 0 : 1))
    }

    /// Calls `body` with the address as the `sockaddr` that bind, connect and sendto take.
    package func withSocketAddress<Result>(
        _ body: (UnsafePointer<sockaddr>, socklen_t) throws -> Result
    ) rethrows -> Result {
        try withUnsafePointer(to: address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, length) }
        }
    }
}
