internal import NIOCore
internal import PostgresNIO

/// An array parameter of fixed-width numbers without NULLs (`int8[]`, `int2[]`, `float8[]`),
/// written in PostgreSQL's binary array format by one loop specialised in this module.
///
/// postgres-nio encodes a Swift `Array` with generic code of its own module, element by element
/// through witness tables: for the seven columns of a batch of readings that was about 15 % of
/// envmond's CPU under a SenML-pack load (perf, batches of ~50,000 readings); this is a few
/// stores per element. The bytes are the same: one dimension, lower bound 1, no NULL bitmap.
struct PostgresNumberArray<Element: PostgresArrayNumber>: PostgresNonThrowingEncodable {
    var elements: [Element]

    init(_ elements: [Element]) { self.elements = elements }

    static var psqlType: PostgresDataType { Element.arrayType }
    static var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(
        into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>
    ) {
        let width = Element.Bits.bitWidth / 8
        buffer.reserveCapacity(minimumWritableBytes: 20 + elements.count * (4 + width))
        buffer.writeInteger(Int32(elements.isEmpty ? 0 : 1))  // dimensions
        buffer.writeInteger(Int32(0))  // no NULLs
        buffer.writeInteger(Element.elementType.rawValue)
        guard !elements.isEmpty else { return }
        buffer.writeInteger(Int32(elements.count))
        buffer.writeInteger(Int32(1))  // lower bound
        for element in elements {
            buffer.writeInteger(Int32(width))
            buffer.writeInteger(element.bits)
        }
    }
}

/// A number `PostgresNumberArray` holds: its type, and the bits PostgreSQL's binary format sends
/// (big-endian, as `writeInteger` writes them).
protocol PostgresArrayNumber {
    associatedtype Bits: FixedWidthInteger
    static var elementType: PostgresDataType { get }
    static var arrayType: PostgresDataType { get }
    var bits: Bits { get }
}

extension Int64: PostgresArrayNumber {
    static var elementType: PostgresDataType { .int8 }
    static var arrayType: PostgresDataType { .int8Array }
    var bits: Int64 { self }
}

extension Int16: PostgresArrayNumber {
    static var elementType: PostgresDataType { .int2 }
    static var arrayType: PostgresDataType { .int2Array }
    var bits: Int16 { self }
}

extension Double: PostgresArrayNumber {
    static var elementType: PostgresDataType { .float8 }
    static var arrayType: PostgresDataType { .float8Array }
    var bits: UInt64 { bitPattern }
}
