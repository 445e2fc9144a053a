import Glibc
import Synchronization
internal import SystemSupport

/// Progress and errors on stderr, and stdout output, written with write(2): Swift's `print` to a
/// pipe is block-buffered (and the stdio globals are unusable in Swift 6 mode).
package enum Diagnostics {
    package static func note(_ text: String) { StandardStreams.write(text + "\n", to: 2) }

    package static func output(_ text: String) { StandardStreams.write(text, to: 1) }
}

/// Set by SIGINT/SIGTERM: long runs stop cleanly and still write their manifest and report.
package enum StopSignal {
    static let flag = Atomic<Bool>(false)

    package static var requested: Bool { flag.load(ordering: .relaxed) }

    package static func install() {
        signal(SIGINT, stopHandler)
        signal(SIGTERM, stopHandler)
    }
}

private let stopHandler: @convention(c) (Int32) -> Void = { _ in
    StopSignal.flag.store(true, ordering: .relaxed)
}

/// A value shared between threads (libmosquitto's and ours), behind a lock.
package final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    package init(_ value: Value) { mutex = Mutex(value) }

    package var value: Value { mutex.withLock { $0 } }

    package func set(_ value: Value) { mutex.withLock { $0 = value } }

    package func update<Result>(_ body: (inout Value) -> Result) -> Result { mutex.withLock { body(&$0) } }
}
