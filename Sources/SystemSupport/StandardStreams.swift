/// Unbuffered output to stdout and stderr: Swift's `print` to a pipe is block-buffered (a log
/// line would reach the journal seconds late), and the stdio globals are unusable in Swift 6 mode.
package enum StandardStreams {
    /// Writes all of `text` to `descriptor` (1 or 2). A failure is ignored: a process that cannot
    /// write to its own standard streams has nowhere left to report it.
    package static func write(_ text: String, to descriptor: Int32) {
        try? FileDescriptorWriter.writeAll(text, to: descriptor)
    }
}
