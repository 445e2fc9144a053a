import Foundation

/// Thrown by `waitUntil` when the condition did not become true in time.
package struct WaitTimeoutError: Error, CustomStringConvertible, Sendable {
    package var what: String
    package var timeout: Duration
    package var location: String

    package var description: String {
        "timed out after \(timeout) waiting for \(what) (\(location))"
    }
}

/// Polls `condition` until it returns true; throws `WaitTimeoutError` naming `what` after `timeout`.
/// Tests wait for a state, never for a fixed time: fast machines pass fast, slow ones still pass.
package func waitUntil(
    _ what: String = "condition",
    timeout: Duration,
    pollEvery: Duration = .milliseconds(20),
    fileID: String = #fileID,
    line: Int = #line,
    _ condition: () async throws -> Bool
) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while true {
        if try await condition() { return }
        if clock.now >= deadline {
            // One last look: the condition may have become true during the final sleep.
            if try await condition() { return }
            throw WaitTimeoutError(what: what, timeout: timeout, location: "\(fileID):\(line)")
        }
        try await Task.sleep(for: pollEvery)
    }
}

/// Synchronous variant for code that cannot suspend (deinit, C callbacks): polls with a deadline.
package func waitUntilBlocking(
    timeout: Duration, pollEvery: Duration = .milliseconds(5), _ condition: () -> Bool
) -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while !condition() {
        if clock.now >= deadline { return condition() }
        let (seconds, attoseconds) = pollEvery.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        nanosleep(&request, nil)
    }
    return true
}
