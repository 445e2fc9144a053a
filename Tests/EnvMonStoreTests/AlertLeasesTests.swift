import EnvMonCore
import EnvMonStore
import Foundation
import TestSupport
import Testing

/// Alert leases among collectors sharing one PostgreSQL database: one holder per sensor, a lease
/// that runs out is taken over, a released one at once, and handed-over readings reach the holder
/// in the order they were left, once.
@Suite("PostgreSQL: alert leases and hand-over between collectors")
struct AlertLeasesTests {
    static func leases() async throws -> (any AlertLeases, PostgreSQLDatabase) {
        let database = try await SharedPostgreSQLServer.freshDatabase()
        let store = try Store.open(try StoreLocation(database.location), for: .ingest)
        return (try #require(store.alertLeases), database)
    }

    @Test("one holder per sensor; a running lease is kept from others, renewed by its holder, released at once")
    func oneHolder() async throws {
        let (leases, _) = try await Self.leases()
        let long = Duration.seconds(60)
        #expect(try leases.claim(["a", "b"], for: "envmond-1", duration: long) == ["a", "b"])
        #expect(try leases.claim(["b", "c"], for: "envmond-2", duration: long) == ["c"])
        #expect(try leases.claim(["a", "b", "c"], for: "envmond-1", duration: long) == ["a", "b"], "renewed")
        try leases.release(["b"], for: "envmond-2")  // not its lease: nothing happens
        #expect(try leases.claim(["b"], for: "envmond-2", duration: long).isEmpty)
        try leases.release(["b"], for: "envmond-1")
        #expect(try leases.claim(["b"], for: "envmond-2", duration: long) == ["b"], "released: taken at once")
    }

    @Test("a lease not renewed in time is taken over by the next claim of another collector")
    func expiry() async throws {
        let (leases, _) = try await Self.leases()
        #expect(try leases.claim(["a"], for: "envmond-1", duration: .milliseconds(300)) == ["a"])
        #expect(try leases.claim(["a"], for: "envmond-2", duration: .seconds(60)).isEmpty)
        try await waitUntil(
            "the lease ran out and another took it", timeout: .seconds(10), pollEvery: .milliseconds(50)
        ) {
            try leases.claim(["a"], for: "envmond-2", duration: .seconds(60)) == ["a"]
        }
        #expect(try leases.claim(["a"], for: "envmond-1", duration: .seconds(60)).isEmpty, "the old holder lost it")
    }

    @Test("handed-over readings come back for the holder's sensors only, in order, once")
    func handOver() async throws {
        let (leases, _) = try await Self.leases()
        func reading(_ sensor: String, _ ts: Int64, _ value: Double) -> HandedOffReading {
            HandedOffReading(
                reading: Reading(
                    series: SeriesKey(sensor: sensor, metric: "do"), timestamp: Timestamp(milliseconds: ts),
                    value: value, quality: .suspect, flaggedBy: [.spike], timeSource: .receipt,
                    deviceStatus: .calibrating),
                site: "lan_ha", arrivedAt: Timestamp(milliseconds: ts + 5))
        }
        let left = [reading("a", 3000, 4.6), reading("b", 1000, 5.0), reading("a", 1000, 4.2), reading("a", 2000, 4.4)]
        try leases.handOff(Array(left.prefix(2)))
        try leases.handOff(Array(left.dropFirst(2)))
        #expect(try leases.takeHandedOff(for: ["a"]) == [left[0], left[2], left[3]], "as left, not by time")
        #expect(try leases.takeHandedOff(for: ["a"]).isEmpty, "taken once")
        #expect(try leases.takeHandedOff(for: ["b", "z"]) == [left[1]])
    }
}
