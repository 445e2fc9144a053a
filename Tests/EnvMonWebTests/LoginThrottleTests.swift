import EnvMonWeb
import Testing

@Suite("LoginThrottle: per-address and per-name lockouts on an injected clock")
struct LoginThrottleTests {
    let clock = ManualClock()

    func throttle(maximumEntries: Int = 10_000) -> LoginThrottle {
        LoginThrottle(
            maximumFailures: 5, window: .seconds(900), lockout: .seconds(900), maximumEntries: maximumEntries,
            now: clock.now)
    }

    @Test func fiveFailuresFromOneAddressLockThatAddressForEveryName() {
        let throttle = throttle()
        for index in 0..<4 {
            throttle.recordFailure(address: "192.0.2.7", user: "guess\(index)")
            #expect(throttle.check(address: "192.0.2.7", user: "an") == nil)
        }
        throttle.recordFailure(address: "192.0.2.7", user: "guess4")
        #expect(throttle.check(address: "192.0.2.7", user: "an") == .seconds(900))
        #expect(throttle.check(address: "192.0.2.8", user: "an") == nil)
    }

    @Test func fiveFailuresForOneNameLockThatNameFromEveryAddress() {
        let throttle = throttle()
        for index in 1...5 { throttle.recordFailure(address: "198.51.100.\(index)", user: "an") }
        #expect(throttle.check(address: "203.0.113.1", user: "an") == .seconds(900))
        #expect(throttle.check(address: "203.0.113.1", user: "bình") == nil)
    }

    @Test func lockoutCountsDownAndEndsWithAFreshCount() {
        let throttle = throttle()
        for _ in 0..<5 { throttle.recordFailure(address: "192.0.2.7", user: "an") }
        clock.advance(by: .seconds(300))
        #expect(throttle.check(address: "192.0.2.7", user: "an") == .seconds(600))
        // Failures while locked neither count nor extend the lockout.
        throttle.recordFailure(address: "192.0.2.7", user: "an")
        clock.advance(by: .seconds(600))
        #expect(throttle.check(address: "192.0.2.7", user: "an") == nil)
        for _ in 0..<4 { throttle.recordFailure(address: "192.0.2.7", user: "an") }
        #expect(throttle.check(address: "192.0.2.7", user: "an") == nil)
        throttle.recordFailure(address: "192.0.2.7", user: "an")
        #expect(throttle.check(address: "192.0.2.7", user: "an") == .seconds(900))
    }

    @Test func failuresOutsideTheWindowDoNotAddUp() {
        let throttle = throttle()
        for _ in 0..<4 { throttle.recordFailure(address: "192.0.2.7", user: "an") }
        clock.advance(by: .seconds(901))
        throttle.recordFailure(address: "192.0.2.7", user: "an")
        #expect(throttle.check(address: "192.0.2.7", user: "an") == nil)
    }

    @Test func successResetsTheAddressAndTheName() {
        let throttle = throttle()
        for _ in 0..<4 { throttle.recordFailure(address: "192.0.2.7", user: "an") }
        throttle.recordSuccess(address: "192.0.2.7", user: "an")
        for _ in 0..<4 { throttle.recordFailure(address: "192.0.2.7", user: "an") }
        #expect(throttle.check(address: "192.0.2.7", user: "an") == nil)
        throttle.recordFailure(address: "192.0.2.7", user: "an")
        #expect(throttle.check(address: "192.0.2.7", user: "an") != nil)
    }

    @Test func ipv6AddressesCountByTheirSlash64AndPortsAreIgnored() {
        let throttle = throttle()
        for index in 1...5 {
            throttle.recordFailure(address: "[2001:db8::\(index)]:\(40_000 + index)", user: "u\(index)")
        }
        #expect(throttle.check(address: "2001:db8::ffff", user: "an") != nil)
        #expect(throttle.check(address: "2001:db8:0:1::1", user: "an") == nil)
        for port in 1...5 { throttle.recordFailure(address: "192.0.2.9:\(port)", user: "v\(port)") }
        #expect(throttle.check(address: "192.0.2.9", user: "an") != nil)
        #expect(throttle.check(address: "::ffff:192.0.2.9", user: "an") != nil)
    }

    @Test func memoryStaysBoundedUnderASprayOfAddressesAndNames() {
        let throttle = throttle(maximumEntries: 100)
        for index in 0..<5000 {
            throttle.recordFailure(address: "10.0.\(index / 256).\(index % 256)", user: "n\(index)")
        }
        let counts = throttle.entryCounts
        #expect(counts.addresses <= 100 && counts.users <= 100)
        #expect(counts.addresses > 0 && counts.users > 0)
    }

    @Test func sprayFillingTheTableEvictsSingleFailuresBeforeALockout() {
        let throttle = throttle(maximumEntries: 10)
        for _ in 0..<5 { throttle.recordFailure(address: "192.0.2.7", user: "an") }
        clock.advance(by: .seconds(1))
        for index in 0..<200 { throttle.recordFailure(address: "198.51.100.\(index)", user: "x\(index)") }
        #expect(throttle.entryCounts.addresses <= 10 && throttle.entryCounts.users <= 10)
        #expect(throttle.check(address: "192.0.2.7", user: "someone") == .seconds(899))
        #expect(throttle.check(address: "203.0.113.1", user: "an") == .seconds(899))
    }
}
