/// `canonical = value × scale + offset`. Every unit EnvMon accepts is an affine function of its
/// metric's canonical unit (RFC 8798 secondary units are defined the same way), so one pair of
/// numbers per unit is enough and conversion stays a multiply-add on the ingest path.
package struct LinearConversion: Hashable, Sendable, CustomStringConvertible {
    package var scale: Double
    package var offset: Double

    package init(scale: Double, offset: Double = 0) {
        self.scale = scale
        self.offset = offset
    }

    package static let identity = LinearConversion(scale: 1)

    package var isIdentity: Bool { scale == 1 && offset == 0 }

    package func apply(_ value: Double) -> Double {
        isIdentity ? value : value * scale + offset
    }

    /// The conversion that undoes this one (nil when `scale` is zero).
    package var inverse: LinearConversion? {
        guard scale != 0 else { return nil }
        return LinearConversion(scale: 1 / scale, offset: -offset / scale)
    }

    /// First `self`, then `next`.
    package func followed(by next: LinearConversion) -> LinearConversion {
        LinearConversion(scale: scale * next.scale, offset: offset * next.scale + next.offset)
    }

    package var description: String { offset == 0 ? "×\(scale)" : "×\(scale) + \(offset)" }
}
