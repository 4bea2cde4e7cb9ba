import Engine
import FixtureSupport
import Foundation
import ImageIO
import LanguageModels
import Tensors
import Testing
import Tokenizers
import VisionModels

/// The language side with an image in the prompt, against the NumPy reference on the tiny
/// checkpoint: the first-turn prompt's parts (spec §4.2), the logits after it, and the 32-token
/// greedy answer, exactly.
@Suite(.serialized) struct InterleavedPromptTests {
    /// This suite's own pool: suites run in parallel, and a pool runs one job at a time.
    static let pool = ComputePool(threadCount: 2)

    struct Segment: Decodable {
        let type: String
        let text: String?
        let ids: [Int32]?
        let image: String?
        let length: Int?
    }

    struct Prompt: Decodable {
        let segments: [Segment]
        let length: Int
    }

    struct Greedy: Decodable {
        let ids: [Int32]
        let min_gap: Double
    }

    static func decode<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(contentsOf: TinyCheckpoint.reference.appendingPathComponent(name)))
    }

    /// The reference prompt as parts: its text segments' ids and our encoding of its image.
    static func referenceParts(_ prompt: Prompt) throws -> [PromptPart] {
        let vision = try XComposerVisionModel(file: try TinyCheckpoint.file(), pool: Self.pool)
        return try prompt.segments.map { segment -> PromptPart in
            if segment.type == "image", let image = segment.image {
                let picture = try ImageDecoder.decode(path: TinyCheckpoint.root.appendingPathComponent(image).path)
                let embedding = try vision.encode(picture)
                #expect(embedding.count == segment.length)
                return .embeddings(values: embedding.values, count: embedding.count)
            }
            return .tokens(segment.ids ?? [])
        }
    }

    static func languageModel() throws -> LlamaModel {
        try LlamaModel(file: try TinyCheckpoint.file(), contextLength: 512, pool: Self.pool,
                       numerics: .precise)
    }

    @Test func firstTurnPromptPartsMatchReference() throws {
        let prompt = try Self.decode(Prompt.self, "prompt.json")
        let tokenizer = try SentencePieceModelFile(contentsOf: TinyCheckpoint.root.appendingPathComponent("tokenizer.model").path)
            .makeTokenizer()
        let vision = try XComposerVisionModel(file: try TinyCheckpoint.file(), pool: Self.pool)
        let image = try vision.encode(try ImageDecoder.decode(path: TinyCheckpoint.images.appendingPathComponent("rocket.jpg").path))
        let question = try #require(prompt.segments.first { $0.type == "text" && $0.ids?.first != 1 }?.text)
        let parts = XComposerImagePrompt.firstTurn(question: question, image: image, tokenizer: tokenizer)
        let expected = try Self.referenceParts(prompt)
        #expect(parts == expected)
        #expect(parts.reduce(0) { $0 + $1.count } == prompt.length)
    }

    @Test func interleavedLogitsMatchReference() throws {
        let prompt = try Self.decode(Prompt.self, "prompt.json")
        let model = try Self.languageModel()
        let logits = try model.prefill(parts: try Self.referenceParts(prompt), slot: 0, position: 0,
                                       shouldCancel: { false })
        let reference = try TinyCheckpoint.referenceArray("interleaved_logits.npy")
        let error = relativeError(logits, reference.values)
        print("interleaved first-step logits: relative error \(error)")
        #expect(error <= 1e-4)
    }

    @Test func textOnlyLogitsMatchReference() throws {
        let prompt = try Self.decode(Prompt.self, "text_prompt.json")
        let model = try Self.languageModel()
        let tokens = prompt.segments.flatMap { $0.ids ?? [] }
        let logits = try model.prefill(tokens: tokens, slot: 0, position: 0, shouldCancel: { false })
        let error = relativeError(logits, try TinyCheckpoint.referenceArray("text_logits.npy").values)
        print("text-only first-step logits: relative error \(error)")
        #expect(error <= 1e-4)
    }

    @Test func greedyAnswerMatchesReference() throws {
        let prompt = try Self.decode(Prompt.self, "prompt.json")
        let greedy = try Self.decode(Greedy.self, "greedy.json")
        let model = try Self.languageModel()
        var logits = try model.prefill(parts: try Self.referenceParts(prompt), slot: 0, position: 0,
                                       shouldCancel: { false })
        var answer: [Int32] = []
        for step in 0..<greedy.ids.count {
            let token = Int32(logits.indices.max { logits[$0] < logits[$1] }!)
            answer.append(token)
            if step + 1 < greedy.ids.count {
                logits = try model.decode(tokens: [token], slots: [0], positions: [prompt.length + step])
            }
        }
        #expect(answer == greedy.ids)
    }

    /// The same answer through the engine, from a request made of parts.
    @Test func engineRunsAnInterleavedRequest() async throws {
        let prompt = try Self.decode(Prompt.self, "prompt.json")
        let greedy = try Self.decode(Greedy.self, "greedy.json")
        let parts = try Self.referenceParts(prompt)
        let tokenizer = try SentencePieceModelFile(contentsOf: TinyCheckpoint.root.appendingPathComponent("tokenizer.model").path)
            .makeTokenizer()
        let model = ModelHandoff(try Self.languageModel())
        let engine = Engine(tokenizer: tokenizer) { model.model }
        var parameters = GenerationParameters(maxNewTokens: greedy.ids.count, temperature: 0)
        parameters.includeTokenizerStopTokens = false
        var text = ""
        var statistics: GenerationStatistics?
        var finish: FinishReason?
        for await event in engine.submit(GenerationRequest(promptParts: parts, parameters: parameters)) {
            switch event {
            case let .text(piece): text += piece
            case let .stats(value): statistics = value
            case let .finished(reason): finish = reason
            default: break
            }
        }
        engine.shutdown()
        var expected = TokenTextStream()
        var expectedText = ""
        for id in greedy.ids { expectedText += expected.append(tokenizer.bytes(for: id, renderSpecial: false)) }
        expectedText += expected.finish()
        #expect(finish == .maxTokens)
        #expect(statistics?.promptTokens == prompt.length)
        #expect(statistics?.generatedTokens == greedy.ids.count)
        #expect(text == expectedText)
    }

    @Test func chunkingSplitsEmbeddingBlocksExactly() throws {
        let prompt = try Self.decode(Prompt.self, "prompt.json")
        let parts = try Self.referenceParts(prompt)
        let model = try Self.languageModel()
        let whole = Array(try model.prefill(parts: parts, slot: 0, position: 0, shouldCancel: { false }))
        // Feed the same prompt in runs of 50 positions, which cut the image block in two.
        let chunks = PromptPart.chunks(parts, size: 50, width: model.embeddingWidth)
        #expect(chunks.count == (prompt.length + 49) / 50)
        var position = 0
        var last: [Float] = []
        for chunk in chunks {
            last = Array(try model.prefill(parts: chunk, slot: 0, position: position, shouldCancel: { false }))
            position += chunk.reduce(0) { $0 + $1.count }
        }
        #expect(position == prompt.length)
        #expect(relativeError(last, whole.map(Double.init)) <= 1e-5)
    }
}

/// Hands a model built on the test's thread to the engine's worker, which alone uses it after.
final class ModelHandoff: @unchecked Sendable {
    let model: LlamaModel
    init(_ model: LlamaModel) { self.model = model }
}
