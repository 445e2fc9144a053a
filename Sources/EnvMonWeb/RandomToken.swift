/// Unguessable tokens for session ids and CSRF tokens: random bytes from the operating system's
/// generator (getrandom(2) on Linux), written in base64url without padding so that they fit in
/// a cookie value and a form field without any escaping.
package enum RandomToken {
    /// 32 bytes, 256 bits: far beyond guessing, even across every session ever issued.
    package static let byteCount = 32

    /// The length of a token of `byteCount` bytes: 43 characters.
    package static let length = (byteCount * 8 + 5) / 6

    package static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(byteCount)
        // 8 bytes per call: the generator hands out 64-bit words.
        while bytes.count < byteCount {
            let word = generator.next()
            for shift in stride(from: 0, to: 64, by: 8) where bytes.count < byteCount {
                bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
            }
        }
        return base64URL(bytes)
    }

    /// Whether `text` has the shape of a token from `make()`, so that an empty or truncated value
    /// is refused before any comparison.
    package static func isWellFormed(_ text: String) -> Bool {
        text.utf8.count == length && text.utf8.allSatisfy { alphabet.contains($0) }
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// RFC 4648 §5 base64url, no `=` padding.
    static func base64URL(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count * 8 + 5) / 6)
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var group = UInt32(0)
            for (offset, byte) in chunk.enumerated() { group |= UInt32(byte) << UInt32(16 - 8 * offset) }
            let characters = chunk.count + 1
            for position in 0..<characters {
                output.append(alphabet[Int((group >> UInt32(18 - 6 * position)) & 0x3F)])
            }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }
}
