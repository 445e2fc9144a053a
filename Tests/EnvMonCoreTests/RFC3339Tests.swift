import EnvMonCore
import Testing

@Suite("RFC3339 parsing")
struct RFC3339Tests {
    /// Python's `isoformat()` writes microseconds; more than three fraction digits trapped the
    /// parser (and with it envmond) until the config/payload fuzzer found it.
    @Test(
        "fractions of any length keep their milliseconds",
        arguments: [
            ("2026-11-29T03:00:00Z", 0 as Int64), ("2026-11-29T03:00:00.1Z", 100 as Int64),
            ("2026-11-29T03:00:00.12Z", 120 as Int64),
            ("2026-11-29T03:00:00.123Z", 123 as Int64), ("2026-11-29T03:00:00.1234Z", 123 as Int64),
            ("2026-11-29T03:00:00.123456+07:00", (123 - 7 * 3_600_000) as Int64),
            ("2026-11-29T03:00:00.999999999Z", 999 as Int64),
        ])
    func fractions(text: String, offset: Int64) throws {
        let base = try #require(RFC3339.parse("2026-11-29T03:00:00Z"))
        let parsed = try #require(RFC3339.parse(text), "\(text)")
        #expect(parsed.milliseconds - base.milliseconds == offset, "\(text)")
    }

    @Test("a fraction without digits is refused")
    func emptyFraction() {
        #expect(RFC3339.parse("2026-11-29T03:00:00.Z") == nil)
    }
}
