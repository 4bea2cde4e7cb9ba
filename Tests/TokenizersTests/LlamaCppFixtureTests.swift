import Foundation
import Testing
import Tokenizers

@Suite("llama.cpp reference tokenisations of SmolLM2")
struct LlamaCppFixtureTests {
    private struct File: Decodable { let tokenization: [RecordedTokenization] }

    @Test("every entry of LanguageModelsTests/Fixtures/llamacpp-smollm2.json",
          .enabled(if: RealModel.isAvailable && FileManager.default.fileExists(atPath: Fixtures.llamaCppSmolLM2.path),
                   "needs the SmolLM2 GGUF and Tests/LanguageModelsTests/Fixtures/llamacpp-smollm2.json"))
    func sharedFixture() throws {
        let tokenizer = try #require(RealModel.tokenizer)
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: Fixtures.llamaCppSmolLM2))
        #expect(file.tokenization.count > 0)
        for entry in file.tokenization {
            let tokens = tokenizer.encode(entry.text, addSpecial: entry.add_special, parseSpecial: entry.parse_special)
            #expect(tokens == entry.tokens, "\(entry.text.debugDescription)")
        }
    }
}
