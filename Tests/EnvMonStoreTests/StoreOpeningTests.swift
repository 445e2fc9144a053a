import EnvMonCore
import Testing

@testable import EnvMonStore

/// What each `StoreAccess` may do, whichever backend holds the store: the CLI's reads and the
/// console never write; the CLI's requests are the only writes besides the daemon's.
@Suite("What a store opened for reading, requests or the console may do, on both backends")
struct StoreOpeningTests {
    static let window = MaintenanceWindow(
        sensor: "lh-wq-01", kind: .calibrating, start: Instants.july1(hours: 8), note: "DO membrane", by: "lan")

    /// The CLI's writes, each through its role: a reject replay, an acknowledgement, a maintenance
    /// start, a resend. Each answers an id or a count, which the caller ignores here.
    static var requests: [(name: String, call: (Store) throws -> Void)] {
        [
            (
                "queueReplay",
                { _ = try $0.readings.queueReplay(reason: nil, since: nil, dryRun: true, at: Instants.july1) }
            ),
            (
                "requestAcknowledgement",
                {
                    _ = try $0.alerts.requestAcknowledgement(
                        alertID: "do_low:x:1", by: "lan", note: nil, at: Instants.july1)
                }
            ),
            ("maintenance request", { _ = try $0.maintenance.request(.start, window, at: Instants.july1) }),
            (
                "resend",
                {
                    _ = try $0.outbox.resend(
                        target: nil, station: nil, from: Instants.july1, to: Instants.july1(hours: 1),
                        at: Instants.july1)
                }
            ),
        ]
    }

    @Test(
        "A store opened for requests takes the CLI's requests, which the daemon's store then sees",
        arguments: StoreBackend.allCases)
    func requestsAreQueued(_ backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let cli = try fixture.open(for: .queueRequests)
        for request in Self.requests { try request.call(cli) }
        #expect(try fixture.store.readings.replayRequest(id: 1)?.status == "pending")
        #expect(try fixture.store.alertWriter.pendingAcknowledgements().map(\.alertID) == ["do_low:x:1"])
        #expect(try fixture.store.maintenance.pendingRequests().map(\.window.sensor) == ["lh-wq-01"])
    }

    @Test("A store opened for reading, or to serve the console, refuses every write", arguments: StoreBackend.allCases)
    func readersDoNotWrite(_ backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        // SQLite opens the file read-only for these; PostgreSQL opens a read-only session
        // (default_transaction_read_only), so the server refuses the write.
        for access in [StoreAccess.read, .serve(readers: 2)] {
            let reader = try fixture.open(for: access)
            for request in Self.requests {
                #expect(throws: (any Error).self, "\(request.name) through a store opened for \(access)") {
                    try request.call(reader)
                }
            }
        }
        // Nothing reached the store.
        #expect(try fixture.store.readings.replayRequest(id: 1) == nil)
        #expect(try fixture.store.alertWriter.pendingAcknowledgements().isEmpty)
        #expect(try fixture.store.maintenance.pendingRequests().isEmpty)
    }
}
