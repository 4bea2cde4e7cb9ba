import Foundation
import Tokenizers

/// The real SmolLM2 model many tests compare against, when it is on this machine.
enum RealModel {
    static let path = "/root/.cache/xcomposer/SmolLM2-135M-Instruct.Q4_1.gguf"
    static let isAvailable = FileManager.default.fileExists(atPath: path)
    static let skipMessage = "SmolLM2-135M-Instruct.Q4_1.gguf is not in /root/.cache/xcomposer; download it to run this test"

    /// The tokenizer of the real model, loaded once.
    static let tokenizer: VocabularyTokenizer? = {
        guard isAvailable else { return nil }
        return try? TokenizerVocabulary(contentsOfGGUF: path).makeTokenizer()
    }()
}

/// Test fixtures that live next to the sources.
enum Fixtures {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

    /// The llama.cpp reference data another test target keeps.
    static let llamaCppSmolLM2 = testsDirectory
        .appendingPathComponent("LanguageModelsTests/Fixtures/llamacpp-smollm2.json")

    /// Tokenisations this target keeps.
    static let ownReference = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/llamacpp-smollm2-multilingual.json")
}

/// One tokenisation recorded from llama.cpp.
struct RecordedTokenization: Decodable {
    let text: String
    let add_special: Bool
    let parse_special: Bool
    let tokens: [Int32]
}
