/// A minimal protobuf encoder for building test inputs by hand, written from the wire-format
/// rules (tag = field << 3 | wire type; base-128 varints; little-endian fixed32; length
/// prefixes), independently of the reader under test.
struct SentencePieceModelProtoWriter {
    var bytes: [UInt8] = []

    static func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var out: [UInt8] = []
        while value >= 0x80 {
            out.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
        return out
    }

    mutating func tag(_ field: UInt64, _ wireType: UInt64) {
        bytes += Self.varint(field << 3 | wireType)
    }

    mutating func varint(_ field: UInt64, _ value: UInt64) {
        tag(field, 0)
        bytes += Self.varint(value)
    }

    /// An int32 as protobuf stores it (negative numbers sign-extended to 64 bits).
    mutating func int32(_ field: UInt64, _ value: Int32) {
        varint(field, UInt64(bitPattern: Int64(value)))
    }

    mutating func bool(_ field: UInt64, _ value: Bool) { varint(field, value ? 1 : 0) }

    mutating func float(_ field: UInt64, _ value: Float) {
        tag(field, 5)
        let bits = value.bitPattern
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt32(shift))) }
    }

    mutating func bytes(_ field: UInt64, _ value: [UInt8]) {
        tag(field, 2)
        bytes += Self.varint(UInt64(value.count))
        bytes += value
    }

    mutating func string(_ field: UInt64, _ value: String) { bytes(field, Array(value.utf8)) }

    mutating func message(_ field: UInt64, _ build: (inout SentencePieceModelProtoWriter) -> Void) {
        var inner = SentencePieceModelProtoWriter()
        build(&inner)
        bytes(field, inner.bytes)
    }

    /// A `ModelProto` with the given pieces (text, score, type) and trainer settings.
    static func model(pieces: [(String, Float, Int32)], modelType: Int32 = 2, byteFallback: Bool = true,
                      extraTrainer: (inout SentencePieceModelProtoWriter) -> Void = { _ in },
                      addDummyPrefix: Bool = false) -> [UInt8] {
        var writer = SentencePieceModelProtoWriter()
        for (text, score, type) in pieces {
            writer.message(1) { piece in
                piece.string(1, text)
                piece.float(2, score)
                piece.int32(3, type)
            }
        }
        writer.message(2) { trainer in
            trainer.int32(3, modelType)
            trainer.bool(35, byteFallback)
            extraTrainer(&trainer)
        }
        writer.message(3) { normalizer in
            normalizer.string(1, "identity")
            normalizer.bool(3, addDummyPrefix)
            normalizer.bool(4, false)
        }
        return writer.bytes
    }
}
