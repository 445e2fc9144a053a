/// A small, fast, seedable PRNG (Steele, Lea & Flood's SplitMix64): the simulator's streams must
/// be identical for the same `--seed` on every machine and Swift version, which the standard
/// library's `SystemRandomNumberGenerator` is not meant to be.
package struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    package init(seed: UInt64) { state = seed }

    /// A generator for one named stream (a sensor, the weather): independent of the order in
    /// which streams are used, so adding a sensor does not change the others' values.
    package init(seed: UInt64, stream: String) {
        state = seed ^ StableHash.fnv1a(stream)
        // Decorrelate nearby seeds.
        _ = next()
        _ = next()
    }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 bits.
    package mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    package mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * unit()
    }

    /// True with probability `p`.
    package mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// Standard normal (Box-Muller; one value per call keeps the stream simple to reason about).
    package mutating func gaussian() -> Double {
        let u1 = max(unit(), 0x1.0p-53)
        let u2 = unit()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }

    /// Exponential with the given mean.
    package mutating func exponential(mean: Double) -> Double {
        -mean * _log(max(1 - unit(), 0x1.0p-53))
    }
}

/// FNV-1a over UTF-8: a hash that, unlike `Hasher`, is the same in every process.
package enum StableHash {
    package static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
