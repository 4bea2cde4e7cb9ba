extension SentencePieceModelFile {
    /// Reads a serialized `ModelProto` (the bytes of a `tokenizer.model`).
    ///
    /// Field numbers follow sentencepiece's `sentencepiece_model.proto`: `ModelProto` has
    /// `pieces` = 1, `trainer_spec` = 2, `normalizer_spec` = 3; a piece has `piece` = 1,
    /// `score` = 2, `type` = 3. Unknown fields are skipped, a field given twice keeps its last
    /// value and a sub-message given twice is merged, as protobuf does; an enum value outside
    /// the declared ones leaves the default (a piece stays normal), as proto2 does.
    /// - Parameter name: the file's path or another name for error messages.
    /// - Throws: `SentencePieceModelError.malformed` with the byte offset where the data is
    ///   cut off, has a field of the wrong wire type, an overlong varint, a length past the end
    ///   or text that is not UTF-8.
    public static func parse(_ bytes: [UInt8], name: String) throws(SentencePieceModelError) -> SentencePieceModelFile {
        var model = SentencePieceModelFile(name: name, pieces: [])
        do {
            var reader = SentencePieceModelWireReader(bytes)
            while let field = try reader.nextField() {
                switch field.number {
                case 1:
                    try reader.expect(.lengthDelimited, field.wireType, field: "ModelProto.pieces", at: field.offset)
                    let range = try reader.readLengthDelimited()
                    model.pieces.append(try parsePiece(SentencePieceModelWireReader(bytes, range: range)))
                case 2:
                    try reader.expect(.lengthDelimited, field.wireType, field: "ModelProto.trainer_spec", at: field.offset)
                    let range = try reader.readLengthDelimited()
                    try parseTrainerSpec(SentencePieceModelWireReader(bytes, range: range), into: &model.trainerSpec)
                case 3:
                    try reader.expect(.lengthDelimited, field.wireType, field: "ModelProto.normalizer_spec", at: field.offset)
                    let range = try reader.readLengthDelimited()
                    try parseNormalizerSpec(SentencePieceModelWireReader(bytes, range: range), into: &model.normalizerSpec)
                default:
                    try reader.skip(field.wireType)
                }
            }
        } catch {
            throw .malformed(name: name, offset: error.offset, problem: error.problem)
        }
        return model
    }

    private typealias Reader = SentencePieceModelWireReader
    private typealias Failure = SentencePieceModelWireReader.Failure

    private static func parsePiece(_ message: Reader) throws(Failure) -> Piece {
        var reader = message
        var piece = Piece(text: "", score: 0, type: .normal)
        while let field = try reader.nextField() {
            switch field.number {
            case 1:
                try reader.expect(.lengthDelimited, field.wireType, field: "SentencePiece.piece", at: field.offset)
                piece.text = try reader.readString()
            case 2:
                try reader.expect(.fixed32, field.wireType, field: "SentencePiece.score", at: field.offset)
                piece.score = Float(bitPattern: try reader.readFixed32())
            case 3:
                try reader.expect(.varint, field.wireType, field: "SentencePiece.type", at: field.offset)
                if let type = PieceType(rawValue: int32(try reader.readVarint())) { piece.type = type }
            default:
                try reader.skip(field.wireType)
            }
        }
        return piece
    }

    private static func parseTrainerSpec(_ message: Reader, into spec: inout TrainerSpec) throws(Failure) {
        var reader = message
        while let field = try reader.nextField() {
            func int(_ name: String) throws(Failure) -> Int32 {
                try reader.expect(.varint, field.wireType, field: "TrainerSpec.\(name)", at: field.offset)
                return int32(try reader.readVarint())
            }
            func bool(_ name: String) throws(Failure) -> Bool {
                try reader.expect(.varint, field.wireType, field: "TrainerSpec.\(name)", at: field.offset)
                return try reader.readVarint() != 0
            }
            switch field.number {
            // proto2 would keep the default for an enum value it does not know; the raw value
            // is kept instead so the error can name it.
            case 3: spec.modelTypeValue = try int("model_type")
            case 4: spec.vocabSize = try int("vocab_size")
            case 20: spec.maxSentencePieceLength = try int("max_sentencepiece_length")
            case 24: spec.treatWhitespaceAsSuffix = try bool("treat_whitespace_as_suffix")
            case 25: spec.splitDigits = try bool("split_digits")
            case 35: spec.byteFallback = try bool("byte_fallback")
            case 40: spec.unknownID = try int("unk_id")
            case 41: spec.bosID = try int("bos_id")
            case 42: spec.eosID = try int("eos_id")
            case 43: spec.padID = try int("pad_id")
            default: try reader.skip(field.wireType)
            }
        }
    }

    private static func parseNormalizerSpec(_ message: Reader, into spec: inout NormalizerSpec) throws(Failure) {
        var reader = message
        while let field = try reader.nextField() {
            func bool(_ name: String) throws(Failure) -> Bool {
                try reader.expect(.varint, field.wireType, field: "NormalizerSpec.\(name)", at: field.offset)
                return try reader.readVarint() != 0
            }
            switch field.number {
            case 1:
                try reader.expect(.lengthDelimited, field.wireType, field: "NormalizerSpec.name", at: field.offset)
                spec.name = try reader.readString()
            case 2:
                try reader.expect(.lengthDelimited, field.wireType, field: "NormalizerSpec.precompiled_charsmap", at: field.offset)
                spec.precompiledCharsMapSize = try reader.readLengthDelimited().count
            case 3: spec.addDummyPrefix = try bool("add_dummy_prefix")
            case 4: spec.removeExtraWhitespaces = try bool("remove_extra_whitespaces")
            case 5: spec.escapeWhitespaces = try bool("escape_whitespaces")
            default: try reader.skip(field.wireType)
            }
        }
    }

    /// Protobuf's `int32` from a varint: the low 32 bits (negative numbers are stored as
    /// ten-byte varints of their 64-bit sign extension).
    private static func int32(_ value: UInt64) -> Int32 {
        Int32(truncatingIfNeeded: value)
    }
}
