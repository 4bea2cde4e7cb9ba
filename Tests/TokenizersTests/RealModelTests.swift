import Testing
import Tokenizers

@Suite("The real SmolLM2 tokenizer", .enabled(if: RealModel.isAvailable, Comment(rawValue: RealModel.skipMessage)))
struct RealModelTests {
    @Test("settings and special tokens match what llama.cpp reports for the file")
    func settings() throws {
        let tokenizer = try #require(RealModel.tokenizer)
        #expect(tokenizer.vocabularySize == 49152)
        #expect(tokenizer.vocabulary.model == .gpt2 && tokenizer.preTokenizer?.splitting == .smollm)
        #expect(tokenizer.bosToken == 1 && tokenizer.eosToken == 2 && !tokenizer.addsBOS)
        // llama_vocab_is_eog is true for exactly 0, 2 and 4; llama_vocab_eot is 0.
        #expect(tokenizer.endOfGenerationTokens == [0, 2, 4])
        #expect(tokenizer.endOfTurnToken == 0)
        #expect(tokenizer.warnings.isEmpty)
        #expect(ChatTemplate.detect(fromJinja: tokenizer.vocabulary.chatTemplate) == .chatml)
        #expect(ChatTemplate.defaultSystemPrompt(fromJinja: tokenizer.vocabulary.chatTemplate ?? "")
                == ChatTemplate.chatml.defaultSystemPrompt)
    }

    @Test("a rendered ChatML prompt tokenizes as llama.cpp tokenizes the Jinja rendering")
    func chatPrompt() throws {
        let tokenizer = try #require(RealModel.tokenizer)
        let prompt = ChatTemplate.chatml.render(
            messages: [.user("Hi"), .assistant(" Hello! How can I help?  "), .user("Tell me a joke.")],
            addGenerationPrompt: true)
        let reference = try #require(LlamaCppReference.smolLM2["smollm"]?.first { $0.text == prompt && $0.parseSpecial })
        #expect(tokenizer.encode(prompt, addSpecial: true, parseSpecial: true) == reference.tokens)
    }

    @Test("decoding gives back the text, except bytes missing from the vocabulary",
          arguments: MultilingualCorpus.texts)
    func roundTrip(text: String) throws {
        let tokenizer = try #require(RealModel.tokenizer)
        let tokens = tokenizer.encode(text, addSpecial: false, parseSpecial: false)
        // SmolLM2 has no token for bytes 0x04, 0x06, 0x13, 0x14, 0x16 and 0x1D; llama.cpp drops them.
        let missing: Set<UInt8> = [0x04, 0x06, 0x13, 0x14, 0x16, 0x1D]
        let expected = String(decoding: text.utf8.filter { !missing.contains($0) }, as: UTF8.self)
        #expect(tokenizer.decode(tokens) == expected)

        var decoder = StreamingDecoder(tokenizer: tokenizer)
        var streamed = tokens.map { decoder.push($0) }.joined()
        streamed += decoder.flush()
        #expect(streamed == expected)
    }
}
