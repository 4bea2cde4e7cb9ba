import Foundation
import LanguageModels
import Tensors
import Testing

/// The forward pass against an independent float64 NumPy implementation
/// (scripts/numpy_reference.py) on tiny random models written by scripts/make_tiny_models.py:
/// grouped-query LLaMA in F32 and Q8_0 (tied head), InternLM v1 with q/k/v/o biases and
/// rotate-half RoPE in F32 and F16.
@Suite(.serialized) struct TinyModelTests {
    struct Reference: Decodable {
        let tokens: [Int32]
        let logits: [[Double]]
    }

    static let models = ["tiny-llama-f32", "tiny-llama-q8", "tiny-internlm-f32", "tiny-internlm-f16"]
    static let pool = ComputePool(threadCount: 2)

    func load(_ name: String, precise: Bool) throws -> (LlamaModel, Reference) {
        let directory = FixtureSupport.fixtures.appendingPathComponent("tiny")
        let data = try Data(contentsOf: directory.appendingPathComponent("\(name).logits.json"))
        let reference = try JSONDecoder().decode(Reference.self, from: data)
        let model = try ModelLoader.loadLanguageModel(
            path: directory.appendingPathComponent("\(name).gguf").path, contextLength: 64,
            sequenceSlots: 2, pool: Self.pool, numerics: precise ? .precise : .llamaCpp).model
        return (model, reference)
    }

    /// Largest absolute difference relative to the largest reference magnitude in the row.
    func relativeError(_ ours: UnsafeBufferPointer<Float>, _ reference: [Double]) -> Double {
        let scale = max(reference.map(abs).max() ?? 1, 1e-12)
        return zip(ours, reference).map { abs(Double($0) - $1) }.max()! / scale
    }

    /// Exact f32 activations: within float32 rounding of the float64 reference at every position.
    @Test(arguments: models)
    func decodePathMatchesReference(model name: String) throws {
        let (model, reference) = try load(name, precise: true)
        for (position, token) in reference.tokens.enumerated() {
            let logits = try model.decode(tokens: [token], slots: [0], positions: [position])
            #expect(relativeError(logits, reference.logits[position]) < 1e-4, "\(name) position \(position)")
        }
    }

    /// llama.cpp-style Q8 activations: close, but only as close as 8-bit activations allow.
    @Test(arguments: models)
    func quantisedActivationsStayClose(model name: String) throws {
        let (model, reference) = try load(name, precise: false)
        for (position, token) in reference.tokens.enumerated() {
            let logits = try model.decode(tokens: [token], slots: [0], positions: [position])
            #expect(relativeError(logits, reference.logits[position]) < 5e-2, "\(name) position \(position)")
        }
    }

    /// Prompt processing in one batch, through both the sgemm path (more than 8 tokens) and the
    /// direct path (8 or fewer), ends on the same logits as the reference.
    @Test(arguments: models)
    func prefillPathsMatchReference(model name: String) throws {
        let (model, reference) = try load(name, precise: true)
        for count in [reference.tokens.count, 5] {
            let logits = try model.prefill(tokens: Array(reference.tokens.prefix(count)), slot: 1,
                                           position: 0, shouldCancel: { false })
            #expect(relativeError(logits, reference.logits[count - 1]) < 1e-4, "\(name) prefill of \(count)")
        }
    }

    /// A prompt split across calls (chunked prefill) continues from the cached positions.
    @Test(arguments: models)
    func prefillContinuesAtAnOffset(model name: String) throws {
        let (model, reference) = try load(name, precise: true)
        _ = try model.prefill(tokens: Array(reference.tokens.prefix(4)), slot: 0, position: 0, shouldCancel: { false })
        let logits = try model.prefill(tokens: Array(reference.tokens[4...]), slot: 0, position: 4,
                                       shouldCancel: { false })
        #expect(relativeError(logits, reference.logits[reference.tokens.count - 1]) < 1e-4)
    }

    /// Several slots decoded in one call (beams) and copied between match the single-slot result.
    @Test func slotsAreIndependentAndCopyable() throws {
        let (model, reference) = try load("tiny-llama-f32", precise: true)
        let tokens = reference.tokens
        _ = try model.prefill(tokens: Array(tokens.prefix(6)), slot: 0, position: 0, shouldCancel: { false })
        model.copySequence(from: 0, to: 1, length: 6)
        let logits = try model.decode(tokens: [tokens[6], tokens[6]], slots: [0, 1], positions: [6, 6])
        let vocabulary = model.vocabularySize
        let first = UnsafeBufferPointer(rebasing: logits[0..<vocabulary])
        let second = UnsafeBufferPointer(rebasing: logits[vocabulary..<(2 * vocabulary)])
        #expect(relativeError(first, reference.logits[6]) < 1e-4)
        #expect(relativeError(second, reference.logits[6]) < 1e-4)
    }

    @Test func rejectsTokensOutsideTheVocabularyAndFullContexts() throws {
        let (model, _) = try load("tiny-llama-f32", precise: true)
        #expect(throws: ModelError.invalidToken(999_999, vocabularySize: model.vocabularySize)) {
            try model.decode(tokens: [999_999], slots: [0], positions: [0])
        }
        #expect(throws: ModelError.contextFull(needed: 65, available: 64)) {
            try model.prefill(tokens: [Int32](repeating: 1, count: 65), slot: 0, position: 0, shouldCancel: { false })
        }
        #expect(throws: ModelError.cancelled) {
            try model.prefill(tokens: [1, 2, 3], slot: 0, position: 0, shouldCancel: { true })
        }
    }
}
