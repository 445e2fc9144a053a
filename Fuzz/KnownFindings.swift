// Known findings in EnvMon code that the decoder harnesses (PayloadDecoderFuzz.swift,
// FormatDecoderFuzz.swift) step around when built with the matching flag, so that fuzzing goes on
// past them; Fuzz/run.sh sets the flags from FUZZ_SKIP_KNOWN. The reproducers stay in
// Fuzz/crashes/ (`bash Fuzz/run.sh crashes` reruns them without skips).

/// Finding 1 (Fuzz/README.md, Fuzz/crashes/json-rfc3339-fraction-trap-*.bin): `RFC3339.parse`
/// traps ("Range requires lowerBound <= upperBound", RFC3339.swift `for _ in digits..<3 where
/// digits < 3`) on a time with more than 3 fractional digits, e.g. a JSON object's
/// `"ts":"2026-11-29T03:00:00.1234Z"`. Built with `-D SKIP_RFC3339_FRACTION_TRAP` (Fuzz/run.sh:
/// FUZZ_SKIP_KNOWN), JSON objects with a string `ts` holding `.` and 4+ digits are not run (-1:
/// not added to the corpus), so the fuzzer can look for other findings.
func reachesKnownTrap(_ payload: [UInt8]) -> Bool {
    #if SKIP_RFC3339_FRACTION_TRAP
    var bytes = payload
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
    guard case .object(let members)? = try? JSONParser.parse(bytes) else { return false }
    return members.contains { member in
        guard member.key.lowercased() == "ts", case .string(let text) = member.value else { return false }
        var run = -1  // digits after the last '.', -1 outside a fraction
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                run = 0
            } else if run >= 0, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                run += 1
                if run >= 4 { return true }
            } else {
                run = -1
            }
        }
        return false
    }
    #else
    return false
    #endif
}
