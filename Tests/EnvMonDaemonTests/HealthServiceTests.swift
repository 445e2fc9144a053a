import Foundation
import Logging
import TestSupport
import Testing

@testable import EnvMonDaemon

@Suite("health: READY, STATUS and the watchdog, paced by an injected clock")
struct HealthServiceTests {
    @Test("the watchdog is fed only on a tick after the ingest loop turned; STOPPING=1 when cancelled")
    func watchdogFollowsTheHeartbeat() async throws {
        let directory = try TemporaryDirectory(prefix: "envmon-health")
        let notify = try NotifySocket(directory: directory)
        let clock = ManualClock()
        let heartbeat = IngestHeartbeat()
        let log = CapturedLog()
        // WATCHDOG_USEC of 2 s: a look every second.
        let health = HealthService(
            notifier: SystemdNotifier(environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "2000000"]),
            figures: IngestFigures(), heartbeat: heartbeat, clock: clock,
            logger: Logger(label: "envmond") { _ in CapturingLogHandler(log: log) })
        health.markSubscribed()
        let running = Task { try await health.run() }
        // Everything the socket received so far.
        var received: [String] = []
        // The deadlines are generous: nothing here waits for real time to pass (the clock is the
        // test's), only for the service's task to be scheduled, which a loaded runner delays.
        /// Lets the service finish its turn and go to sleep, then moves the clock one second.
        func tick() async throws {
            try await waitUntil("the service sleeps", timeout: .seconds(60)) { clock.sleeperCount == 1 }
            received = notify.drain()
            clock.advance(by: .seconds(1))
            try await waitUntil("the service's next turn", timeout: .seconds(60)) { clock.sleeperCount == 1 }
            received = notify.drain()
        }

        try await waitUntil("READY=1 and the first status", timeout: .seconds(60)) {
            received = notify.drain()
            return received.contains("READY=1") && received.contains { $0.hasPrefix("STATUS=") }
        }
        #expect(!received.contains("WATCHDOG=1"), "no ping before a second has passed")

        heartbeat.beat()
        try await tick()
        #expect(received.filter { $0 == "WATCHDOG=1" }.count == 1, "\(received)")

        // The loop did not turn in this second: no ping, a warning.
        try await tick()
        #expect(received.filter { $0 == "WATCHDOG=1" }.count == 1, "\(received)")
        #expect(log.count("ingest loop made no progress for 1.0 seconds") == 1, "\(log.text)")

        heartbeat.beat()
        try await tick()
        #expect(received.filter { $0 == "WATCHDOG=1" }.count == 2, "\(received)")

        running.cancel()
        try await running.value
        received = notify.drain()
        #expect(received.last == "STOPPING=1", "\(received.suffix(3))")
    }
}
