/// `canonical = value × scale + offset`. Every unit EnvMon accepts is an affine function of its
/// metric's canonical unit (RFC 8798 secondary units are defined the same way), so one pair of
/// numbers per unit is enough and conversion stays a multiply-add on the ingest path.
public struct LinearConversion: Hashable, Sendable, CustomStringConvertible {
    public var scale: Double
    public var offset: Double

    public init(scale: Double, offset: Double = 0) {
        self.scale = scale
        self.offset = offset
    }

    public static let identity = LinearConversion(scale: 1)

    public var isIdentity: Bool { scale == 1 && offset == 0 }

    public func apply(_ value: Double) -> Double {
        isIdentity ? value : value * scale + offset
    }

    /// The conversion that undoes this one (nil when `scale` is zero).
    public var inverse: LinearConversion? {
        guard scale != 0 else { return nil }
        return LinearConversion(scale: 1 / scale, offset: -offset / scale)
    }

    /// First `self`, then `next`.
    public func followed(by next: LinearConversion) -> LinearConversion {
        LinearConversion(scale: scale * next.scale, offset: offset * next.scale + next.offset)
    }

    public var description: String { offset == 0 ? "×\(scale)" : "×\(scale) + \(offset)" }
}
