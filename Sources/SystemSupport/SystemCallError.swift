#if canImport(Glibc)
    internal import Glibc
#endif

/// A failed system call's errno. The number, not a message: callers tell ENOSPC from EIO, and
/// each words the failure in its own terms (which file, which operation).
package struct SystemCallError: Error, Equatable, Sendable, CustomStringConvertible {
    package var code: Int32

    package init(code: Int32) {
        self.code = code
    }

    /// strerror's text for the code.
    package var description: String { String(cString: strerror(code)) }
}
