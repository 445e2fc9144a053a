#if canImport(Glibc)
    internal import Glibc
#endif

/// The one read-to-the-end loop over read(2), with EINTR retried, for the small files and streams
/// the tools read whole (a password, the staff accounts file).
package enum FileDescriptorReader {
    /// Every byte up to the end of `descriptor`, or nil as soon as more than `limit` bytes came
    /// (the caller says what was too long); a failed read is thrown with its errno.
    package static func readAll(_ descriptor: Int32, limit: Int = .max) throws(SystemCallError) -> [UInt8]? {
        var contents: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw SystemCallError(code: errno) }
            if count == 0 { return contents }
            contents.append(contentsOf: buffer[0..<count])
            if contents.count > limit { return nil }
        }
    }
}
