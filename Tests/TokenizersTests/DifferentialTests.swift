import Testing
import Tokenizers

/// Compares tokenisations with the ids llama.cpp produced for the same vocabulary and text.
@Suite("Differential against llama.cpp")
struct DifferentialTests {
    @Test("SmolLM2 vocabulary under each pre-tokenizer", .enabled(if: RealModel.isAvailable, Comment(rawValue: RealModel.skipMessage)),
          arguments: ["smollm", "llama-bpe", "gpt-2", "default"])
    func byteLevel(preTokenizer: String) throws {
        var vocabulary = try TokenizerVocabulary(contentsOfGGUF: RealModel.path)
        vocabulary.preTokenizerName = preTokenizer
        let tokenizer = try vocabulary.makeTokenizer()
        #expect(tokenizer.warnings.isEmpty)
        let entries = try #require(LlamaCppReference.smolLM2[preTokenizer])
        #expect(entries.count > 100)
        for entry in entries {
            let tokens = tokenizer.encode(entry.text, addSpecial: entry.addSpecial, parseSpecial: entry.parseSpecial)
            #expect(tokens == entry.tokens,
                    "\(preTokenizer) special=\(entry.parseSpecial): \(entry.text.debugDescription)")
        }
    }

    @Test("synthetic SentencePiece vocabulary", arguments: [true, false])
    func sentencePiece(addSpacePrefix: Bool) throws {
        let tokenizer = try SyntheticSentencePiece.vocabulary(addSpacePrefix: addSpacePrefix).makeTokenizer()
        let entries = addSpacePrefix ? LlamaCppReference.sentencePieceWithPrefix : LlamaCppReference.sentencePieceWithoutPrefix
        #expect(entries.count > 100)
        for entry in entries {
            let tokens = tokenizer.encode(entry.text, addSpecial: entry.addSpecial, parseSpecial: entry.parseSpecial)
            #expect(tokens == entry.tokens,
                    "prefix=\(addSpacePrefix) add=\(entry.addSpecial) special=\(entry.parseSpecial): \(entry.text.debugDescription)")
        }
    }
}

/// The synthetic SentencePiece vocabulary the reference data was recorded with.
enum SyntheticSentencePiece {
    static func vocabulary(addSpacePrefix: Bool) -> TokenizerVocabulary {
        TokenizerVocabulary(
            model: .llama,
            tokens: LlamaCppReference.sentencePieceTokens,
            scores: LlamaCppReference.sentencePieceScores,
            tokenTypes: LlamaCppReference.sentencePieceTypes.map { TokenizerVocabulary.TokenType(rawValue: $0) ?? .undefined },
            bosToken: 1, eosToken: 2, unknownToken: 0,
            addBOS: true, addSpacePrefix: addSpacePrefix)
    }
}
