import Foundation
import Testing
import Tokenizers

/// The tokenizer built from the fixture model gives sentencepiece's ids on every fixture
/// string (XComposer prompt segments with `<TOKENS_UNUSED_*>`, digits, byte fallback, spaces,
/// newlines) and decodes them back as sentencepiece does.
@Suite("SentencePiece model file: tokenizer")
struct SentencePieceModelTokenizerTests {
    private static let model = try! SentencePieceModelFile.parse(
        SentencePieceModelFixture.modelBytes, name: "tokenizer.model")
    private static let tokenizers: [VocabularyTokenizer] = [
        try! model.makeTokenizer(),
        try! model.makeTokenizer(specialTextHandling: .llamaCpp),
    ]

    @Test(arguments: SentencePieceModelFixture.expected.cases)
    func encodesAsSentencePiece(_ reference: SentencePieceModelFixture.Case) {
        for tokenizer in Self.tokenizers {
            let ids = tokenizer.encode(reference.text, addSpecial: false, parseSpecial: false)
            #expect(ids == reference.ids, "\(tokenizer.specialTextHandling)")
            #expect(ids.map { tokenizer.piece(for: $0) } == reference.pieces)
        }
    }

    @Test(arguments: SentencePieceModelFixture.expected.cases)
    func decodesAsSentencePiece(_ reference: SentencePieceModelFixture.Case) {
        let tokenizer = Self.tokenizers[0]
        let bytes = reference.ids.flatMap { tokenizer.bytes(for: $0, renderSpecial: false) }
        #expect(String(decoding: bytes, as: UTF8.self) == reference.decoded)
        // Identity normalisation and byte fallback lose nothing but the ▁ written as text.
        #expect(reference.decoded == reference.text.replacingOccurrences(of: "▁", with: " "))
    }

    /// The fixture covers what the issue asks to show.
    @Test func fixtureCoversUserDefinedSymbolsAndByteFallback() {
        let cases = SentencePieceModelFixture.expected.cases
        let eoh = Self.tokenizers[0].tokenID(forPiece: "<TOKENS_UNUSED_0>")
        #expect(eoh == 3)
        #expect(cases.filter { $0.ids.contains(3) }.count >= 5)
        #expect(cases.filter { $0.pieces.contains { $0.hasPrefix("<0x") } }.count >= 10)
        #expect(cases.count >= 40)
    }

    @Test func settingsFromTheModel() throws {
        let vocabulary = try Self.model.makeVocabulary()
        #expect(vocabulary.model == .llama)
        #expect(vocabulary.tokens.count == 800)
        #expect(!vocabulary.addSpacePrefix)
        #expect(vocabulary.addBOS && !vocabulary.addEOS)
        #expect(vocabulary.unknownToken == 0 && vocabulary.bosToken == 1 && vocabulary.eosToken == 2)
        #expect(vocabulary.paddingToken == nil)
        #expect(vocabulary.warnings.isEmpty)
        #expect(vocabulary.tokenTypes[3] == .userDefined && vocabulary.tokenTypes[11] == .byte)
    }

    /// With special tokens, BOS (id 1) comes first, as `add_bos_token` asks.
    @Test func addsBOS() {
        let tokenizer = Self.tokenizers[0]
        for reference in SentencePieceModelFixture.expected.cases.prefix(4) {
            #expect(tokenizer.encode(reference.text, addSpecial: true, parseSpecial: false) == [1] + reference.ids)
        }
    }

    /// In Hugging Face mode `</s>` written in text is EOS with the spaces around it dropped
    /// (docs/xcomposer-v1-spec.md §3), while sentencepiece itself spells it out.
    @Test func huggingFaceSpecialTexts() {
        let tokenizer = Self.tokenizers[0]
        let eoa = Int32(4)  // <TOKENS_UNUSED_1>
        #expect(tokenizer.encode(" </s>", addSpecial: false, parseSpecial: true) == [2])
        let ids = tokenizer.encode("<TOKENS_UNUSED_1> </s>", addSpecial: false, parseSpecial: true)
        #expect(ids == [eoa, 2])
        #expect(tokenizer.encode("<TOKENS_UNUSED_1> </s>", addSpecial: false, parseSpecial: false).count > 2)
    }

    /// A model with no BOS (bos_id = -1) adds none, where the GGUF defaults would say id 1.
    @Test func missingBOSStaysMissing() throws {
        let bytes = SentencePieceModelProtoWriter.model(
            pieces: [("<unk>", 0, 2), ("a", 0, 1), ("b", 0, 1), ("ab", -1, 1)],
            extraTrainer: { $0.int32(41, -1); $0.int32(42, -1) })
        let model = try SentencePieceModelFile.parse(bytes, name: "nobos.model")
        #expect(model.trainerSpec.bosID == -1)
        let tokenizer = try model.makeTokenizer()
        #expect(tokenizer.bosToken == nil && tokenizer.eosToken == nil)
        #expect(tokenizer.encode("ab", addSpecial: true, parseSpecial: true) == [3])
    }

    /// Merges go by score, not id: with "bc" scored above "ab", "abc" is "a" + "bc".
    @Test func mergesByScore() throws {
        let bytes = SentencePieceModelProtoWriter.model(
            pieces: [("<unk>", 0, 2), ("<s>", 0, 3), ("</s>", 0, 3), ("a", -5, 1), ("b", -5, 1), ("c", -5, 1),
                     ("ab", -3, 1), ("bc", -1, 1)])
        let tokenizer = try SentencePieceModelFile.parse(bytes, name: "score.model").makeTokenizer()
        #expect(tokenizer.encode("abc", addSpecial: false, parseSpecial: false) == [3, 7])
    }

    /// add_dummy_prefix = true gives the leading ▁.
    @Test func dummyPrefix() throws {
        let bytes = SentencePieceModelProtoWriter.model(
            pieces: [("<unk>", 0, 2), ("<s>", 0, 3), ("</s>", 0, 3), ("▁", -1, 1), ("a", -1, 1), ("▁a", -0.5, 1)],
            addDummyPrefix: true)
        let model = try SentencePieceModelFile.parse(bytes, name: "prefix.model")
        #expect(model.normalizerSpec.addDummyPrefix)
        let tokenizer = try model.makeTokenizer()
        #expect(tokenizer.encode("a", addSpecial: false, parseSpecial: false) == [5])
    }
}
