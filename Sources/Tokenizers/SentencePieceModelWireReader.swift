/// A reader of the protobuf wire format, just enough for SentencePiece's `ModelProto`.
///
/// It walks one message (a byte range) field by field: `nextField()` gives the field number
/// and wire type, then the caller reads the value with the matching method or `skip`s it.
/// Everything is bounds-checked, so damaged input ends in a `Failure` carrying the byte
/// offset, never in a trap: lengths that run past the message, varints longer than ten bytes,
/// field number 0, groups and the two undefined wire types are all refused.
struct SentencePieceModelWireReader {
    /// Protobuf's wire types (the low three bits of a tag).
    enum WireType: UInt64 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
        case startGroup = 3
        case endGroup = 4
        case fixed32 = 5

        var name: String {
            switch self {
            case .varint: return "varint"
            case .fixed64: return "fixed64"
            case .lengthDelimited: return "length-delimited"
            case .startGroup: return "start-group"
            case .endGroup: return "end-group"
            case .fixed32: return "fixed32"
            }
        }
    }

    /// Where and why reading stopped.
    struct Failure: Error {
        let offset: Int
        let problem: String
    }

    /// The largest field number protobuf allows (2^29 - 1).
    static let maximumFieldNumber: UInt64 = (1 << 29) - 1

    let bytes: [UInt8]
    /// The next byte to read.
    private(set) var position: Int
    /// One past the message's last byte.
    let end: Int

    /// A reader of `bytes[range]` (the whole array by default).
    init(_ bytes: [UInt8], range: Range<Int>? = nil) {
        self.bytes = bytes
        let range = range ?? 0 ..< bytes.count
        position = range.lowerBound
        end = range.upperBound
    }

    var isAtEnd: Bool { position >= end }

    /// The next field's number, wire type and the offset of its tag, or nil at the end of the
    /// message.
    mutating func nextField() throws(Failure) -> (number: Int, wireType: WireType, offset: Int)? {
        guard !isAtEnd else { return nil }
        let start = position
        let tag = try readVarint()
        let number = tag >> 3
        guard number != 0 else { throw Failure(offset: start, problem: "field number 0") }
        guard number <= Self.maximumFieldNumber else {
            throw Failure(offset: start, problem: "field number \(number) is larger than protobuf allows")
        }
        guard let wireType = WireType(rawValue: tag & 7) else {
            throw Failure(offset: start, problem: "field \(number) has the undefined wire type \(tag & 7)")
        }
        if wireType == .startGroup || wireType == .endGroup {
            throw Failure(offset: start, problem: "field \(number) is a group, which SentencePiece models do not use")
        }
        return (Int(number), wireType, start)
    }

    /// A base-128 varint of at most ten bytes.
    mutating func readVarint() throws(Failure) -> UInt64 {
        let start = position
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else {
                throw Failure(offset: start, problem: "varint cut off by the end of the data")
            }
            let byte = bytes[position]
            position += 1
            // The tenth byte may only carry the top bit of a 64-bit value.
            if shift == 63 && byte > 1 {
                throw Failure(offset: start, problem: "varint longer than 64 bits")
            }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }

    /// A little-endian 32-bit value (`float`, `fixed32`).
    mutating func readFixed32() throws(Failure) -> UInt32 {
        guard end - position >= 4 else {
            throw Failure(offset: position, problem: "fixed32 value cut off by the end of the data")
        }
        var value: UInt32 = 0
        for index in 0 ..< 4 { value |= UInt32(bytes[position + index]) << (8 * UInt32(index)) }
        position += 4
        return value
    }

    /// The byte range of a length-delimited value (string, bytes or sub-message).
    mutating func readLengthDelimited() throws(Failure) -> Range<Int> {
        let start = position
        let length = try readVarint()
        let remaining = end - position
        guard length <= UInt64(remaining) else {
            throw Failure(offset: start, problem: "length \(length) runs past the end of the data (\(remaining) bytes left)")
        }
        let lower = position
        position += Int(length)
        return lower ..< position
    }

    /// A length-delimited value as UTF-8 text.
    mutating func readString() throws(Failure) -> String {
        let start = position
        let range = try readLengthDelimited()
        guard let text = String(validating: bytes[range], as: UTF8.self) else {
            throw Failure(offset: start, problem: "string is not valid UTF-8")
        }
        return text
    }

    /// Skips a value of the given wire type (an unknown field).
    mutating func skip(_ wireType: WireType) throws(Failure) {
        switch wireType {
        case .varint: _ = try readVarint()
        case .fixed32: _ = try readFixed32()
        case .lengthDelimited: _ = try readLengthDelimited()
        case .fixed64:
            guard end - position >= 8 else {
                throw Failure(offset: position, problem: "fixed64 value cut off by the end of the data")
            }
            position += 8
        case .startGroup, .endGroup:
            throw Failure(offset: position, problem: "groups are not supported")  // refused by nextField
        }
    }

    /// Fails unless a known field came with the wire type its declaration implies.
    func expect(_ wireType: WireType, _ actual: WireType, field: String, at offset: Int) throws(Failure) {
        guard wireType == actual else {
            throw Failure(offset: offset, problem: "\(field) has wire type \(actual.name), expected \(wireType.name)")
        }
    }
}
