#if canImport(Glibc)
    internal import Glibc
#endif

/// The one write-everything loop over write(2). A single write may take only part of the
/// buffer (a pipe, a socket, a signal arriving mid-way), and EINTR means "try again", not
/// failure: the copies this replaced gave up on one or the other.
package enum FileDescriptorWriter {
    /// Writes every byte of `bytes`, retrying EINTR and short writes; the first other failure is
    /// thrown with its errno. Allocates nothing: the inbox journal calls it per message.
    package static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) throws(SystemCallError) {
        let code = write(bytes, to: descriptor)
        if code != 0 { throw SystemCallError(code: code) }
    }

    package static func writeAll(_ bytes: [UInt8], to descriptor: Int32) throws(SystemCallError) {
        let code = bytes.withUnsafeBytes { write($0, to: descriptor) }
        if code != 0 { throw SystemCallError(code: code) }
    }

    /// The text's UTF-8 bytes.
    package static func writeAll(_ text: String, to descriptor: Int32) throws(SystemCallError) {
        var text = text
        let code = text.withUTF8 { write(UnsafeRawBufferPointer($0), to: descriptor) }
        if code != 0 { throw SystemCallError(code: code) }
    }

    /// The loop itself: 0 once every byte is written, else the errno of the failed write.
    /// (The stdlib's `withUnsafeBytes` and `withUTF8` do not pass typed errors through.)
    private static func write(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32 {
        guard let start = bytes.baseAddress else { return 0 }
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, start + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += written
        }
        return 0
    }
}
