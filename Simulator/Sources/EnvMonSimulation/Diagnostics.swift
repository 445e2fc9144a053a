import Glibc
import Synchronization
internal import SystemSupport

/// Progress and errors on stderr, and stdout output, written with write(2): Swift's `print` to a
/// pipe is block-buffered (and the stdio globals are unusable in Swift 6 mode).
public enum Diagnostics {
    public static func note(_ text: String) { StandardStreams.write(text + "\n", to: 2) }

    public static func output(_ text: String) { StandardStreams.write(text, to: 1) }
}

/// Set by SIGINT/SIGTERM: long runs stop cleanly and still write their manifest and report.
public enum StopSignal {
    static let flag = Atomic<Bool>(false)

    public static var requested: Bool { flag.load(ordering: .relaxed) }

    public static func install() {
        signal(SIGINT, stopHandler)
        signal(SIGTERM, stopHandler)
    }
}

private let stopHandler: @convention(c) (Int32) -> Void = { _ in
    StopSignal.flag.store(true, ordering: .relaxed)
}

/// A value shared between threads (libmosquitto's and ours), behind a lock.
public final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    public init(_ value: Value) { mutex = Mutex(value) }

    public var value: Value { mutex.withLock { $0 } }

    public func set(_ value: Value) { mutex.withLock { $0 = value } }

    public func update<Result>(_ body: (inout Value) -> Result) -> Result { mutex.withLock { body(&$0) } }
}
