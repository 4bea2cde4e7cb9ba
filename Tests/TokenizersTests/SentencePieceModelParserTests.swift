import Testing
import Tokenizers

/// The protobuf reader against what sentencepiece's own protobuf classes read from the same
/// fixture model (expected.json's `model`).
@Suite("SentencePiece model file: parsing")
struct SentencePieceModelParserTests {
    private let expected = SentencePieceModelFixture.expected.model
    private let model: SentencePieceModelFile

    init() throws {
        model = try SentencePieceModelFile.parse(SentencePieceModelFixture.modelBytes, name: "tokenizer.model")
    }

    @Test func readsTheFixtureFile() throws {
        #expect(SentencePieceModelFixture.modelBytes.count == expected.bytes)
        let fromPath = try SentencePieceModelFile(contentsOf: SentencePieceModelFixture.modelPath)
        #expect(fromPath.pieces == model.pieces)
        #expect(fromPath.name == SentencePieceModelFixture.modelPath)
    }

    @Test func everyPieceMatchesSentencePiece() {
        #expect(model.pieces.count == expected.pieces.count)
        for (index, (piece, reference)) in zip(model.pieces, expected.pieces).enumerated() {
            #expect(piece.text == reference.text, "piece \(index)")
            #expect(piece.score == Float(reference.score), "piece \(index) \(reference.text)")
            #expect(piece.type.rawValue == reference.type, "piece \(index) \(reference.text)")
        }
    }

    /// Facts fixed by the training settings of scripts/make_spm_fixture.py.
    @Test func knownPieces() {
        #expect(model.pieces.count == 800)
        #expect(model.pieces[0] == .init(text: "<unk>", score: 0, type: .unknown))
        #expect(model.pieces[1] == .init(text: "<s>", score: 0, type: .control))
        #expect(model.pieces[2] == .init(text: "</s>", score: 0, type: .control))
        for index in 0 ..< 8 {
            #expect(model.pieces[3 + index] == .init(text: "<TOKENS_UNUSED_\(index)>", score: 0, type: .userDefined))
        }
        // byte_fallback: all 256 byte pieces follow the user-defined symbols, in byte order.
        for byte in 0 ..< 256 {
            let hex = String(byte, radix: 16, uppercase: true)
            let text = "<0x" + (byte < 16 ? "0" : "") + hex + ">"
            #expect(model.pieces[11 + byte] == .init(text: text, score: 0, type: .byte))
        }
        // Learned merges come next, scored -0, -1, -2, … in the order they were learned.
        for index in 267 ..< 280 {
            #expect(model.pieces[index].type == .normal)
            #expect(model.pieces[index].score == -Float(index - 267))
        }
    }

    @Test func trainerAndNormalizerSettings() {
        let trainer = model.trainerSpec, reference = expected.trainer
        #expect(trainer.modelType == .bpe)
        #expect(trainer.modelTypeValue == reference.model_type)
        #expect(trainer.vocabSize == reference.vocab_size)
        #expect(trainer.byteFallback == reference.byte_fallback && trainer.byteFallback)
        #expect(trainer.splitDigits == reference.split_digits && trainer.splitDigits)
        #expect(trainer.treatWhitespaceAsSuffix == reference.treat_whitespace_as_suffix)
        #expect(trainer.maxSentencePieceLength == reference.max_sentencepiece_length)
        #expect(trainer.unknownID == reference.unk_id)
        #expect(trainer.bosID == reference.bos_id)
        #expect(trainer.eosID == reference.eos_id)
        #expect(trainer.padID == reference.pad_id && trainer.padID == -1)

        let normalizer = model.normalizerSpec, normalizerReference = expected.normalizer
        #expect(normalizer.name == normalizerReference.name && normalizer.name == "identity")
        #expect(normalizer.addDummyPrefix == normalizerReference.add_dummy_prefix && !normalizer.addDummyPrefix)
        #expect(normalizer.removeExtraWhitespaces == normalizerReference.remove_extra_whitespaces)
        #expect(normalizer.escapeWhitespaces == normalizerReference.escape_whitespaces)
        #expect(normalizer.precompiledCharsMapSize == 0)
    }

    /// Protobuf defaults apply to fields a file leaves out.
    @Test func defaultsForAbsentFields() throws {
        var writer = SentencePieceModelProtoWriter()
        writer.message(1) { $0.string(1, "a") }  // no score, no type
        let model = try SentencePieceModelFile.parse(writer.bytes, name: "defaults.model")
        #expect(model.pieces == [.init(text: "a", score: 0, type: .normal)])
        #expect(model.trainerSpec.modelType == .unigram)
        #expect(model.trainerSpec.vocabSize == 8000)
        #expect(!model.trainerSpec.byteFallback)
        #expect((model.trainerSpec.unknownID, model.trainerSpec.bosID, model.trainerSpec.eosID, model.trainerSpec.padID)
            == (0, 1, 2, -1))
        #expect(model.normalizerSpec.addDummyPrefix && model.normalizerSpec.removeExtraWhitespaces)
        #expect(model.normalizerSpec.name == nil)
    }

    /// Unknown fields of every wire type are skipped, a repeated scalar keeps the last value,
    /// and a sub-message given twice is merged.
    @Test func protobufMergingRules() throws {
        var writer = SentencePieceModelProtoWriter()
        writer.varint(99, 12345)                       // unknown varint
        writer.tag(98, 1); writer.bytes += [1, 2, 3, 4, 5, 6, 7, 8]  // unknown fixed64
        writer.float(97, 1.5)                          // unknown fixed32
        writer.string(96, "ignored")                   // unknown length-delimited
        writer.message(1) { piece in
            piece.string(1, "first")
            piece.string(1, "▁second")
            piece.float(2, -1)
            piece.float(2, -2.5)
            piece.varint(200, 7)
            piece.int32(3, 4)
        }
        writer.message(2) { $0.int32(3, 1); $0.int32(4, 10) }
        writer.message(2) { $0.int32(3, 2); $0.int32(43, 0) }
        let model = try SentencePieceModelFile.parse(writer.bytes, name: "merge.model")
        #expect(model.pieces == [.init(text: "▁second", score: -2.5, type: .userDefined)])
        #expect(model.trainerSpec.modelType == .bpe)
        #expect(model.trainerSpec.vocabSize == 10)
        #expect(model.trainerSpec.padID == 0)
    }

    /// An enum value outside the declared ones leaves a piece normal, as proto2 does.
    @Test func unknownPieceTypeStaysNormal() throws {
        var writer = SentencePieceModelProtoWriter()
        writer.message(1) { $0.string(1, "x"); $0.int32(3, 42) }
        let model = try SentencePieceModelFile.parse(writer.bytes, name: "enum.model")
        #expect(model.pieces[0].type == .normal)
    }

    @Test func emptyInputIsAnEmptyModel() throws {
        let model = try SentencePieceModelFile.parse([], name: "empty.model")
        #expect(model.pieces.isEmpty)
        #expect(throws: SentencePieceModelError.badVocabulary(name: "empty.model", problem: "the model has no pieces")) {
            _ = try Self.bpe(model).makeTokenizer()
        }
    }

    private static func bpe(_ model: SentencePieceModelFile) -> SentencePieceModelFile {
        var model = model
        model.trainerSpec.modelTypeValue = 2
        return model
    }
}
