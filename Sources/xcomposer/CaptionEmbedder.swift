import Dispatch
import ImageLibrary
import LanguageModels
import ModelFiles
import Synchronization
import Tensors
import Tokenizers

/// Turns captions into vectors with the loaded language model's own hidden states (the mean of
/// the final-norm states over the caption's tokens), for the cosine half of hybrid retrieval.
///
/// It runs a second decoder over the same memory-mapped weights, with a small cache of its own
/// and one thread, so embedding never waits for, or disturbs, the engine that is generating.
/// Library vectors are computed once per image and kept.
final class CaptionEmbedder: Sendable {
    private let model: Mutex<LlamaModelBox>
    private let tokenizer: VocabularyTokenizer
    private let library = Mutex<[String: [Float]]>([:])
    /// Most tokens of a caption that are embedded (captions are short; paragraphs are cut).
    static let maximumTokens = 128

    init(file: GGUFFile, tokenizer: VocabularyTokenizer) throws {
        let llama = try LlamaModel(file: file, contextLength: Self.maximumTokens, sequenceSlots: 1,
                                   pool: ComputePool(threadCount: 1), numerics: .precise)
        model = Mutex(LlamaModelBox(llama))
        self.tokenizer = tokenizer
    }

    /// The vector of a text, or nil when it has no tokens or the model fails.
    func embed(_ text: String) -> [Float]? {
        let tokens = Array(tokenizer.encode(text, addSpecial: false, parseSpecial: false).prefix(Self.maximumTokens))
        guard !tokens.isEmpty else { return nil }
        return model.withLock { box in try? box.model.meanHiddenState(tokens: tokens) }
    }

    /// Vectors of the library's images (their caption and file name), computed on first use.
    func vectors(for images: [LibraryImage]) -> [String: [Float]] {
        let known = library.withLock { $0 }
        var added: [String: [Float]] = [:]
        for image in images where known[image.path] == nil {
            let text = LibrarySearch.documentTokens(image).joined(separator: " ")
            if let vector = embed(text) { added[image.path] = vector }
        }
        return library.withLock { vectors in
            vectors.merge(added) { old, _ in old }
            return vectors
        }
    }
}

/// Holds the non-Sendable decoder; only ever used under the embedder's lock.
final class LlamaModelBox: @unchecked Sendable {
    let model: LlamaModel
    init(_ model: LlamaModel) { self.model = model }
}
