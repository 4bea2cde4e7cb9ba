import ImageIO
import LanguageModels
import Tensors
import Testing
import Tokenizers
import VisionModels

/// The chat screen's prompt about images, built from the tiny checkpoint converted by
/// `xcomposer convert`'s library: the real photos encoded by its vision tower, its tokenizer,
/// and the fitting rules (image-only turns merged forward, oldest exchanges dropped first).
@Suite(.serialized) struct ChatImagePromptTests {
    static let pool = ComputePool(threadCount: 2)

    struct Setup {
        let tokenizer: VocabularyTokenizer
        let rocket: ImageEmbedding
        let chelsea: ImageEmbedding
    }

    static let setup: Result<Setup, Error> = Result {
        let file = try TinyCheckpoint.file()
        let vision = try XComposerVisionModel(file: file, pool: pool)
        func encode(_ name: String) throws -> ImageEmbedding {
            try vision.encode(try ImageDecoder.decode(path: TinyCheckpoint.images.appendingPathComponent(name).path))
        }
        return Setup(tokenizer: try TokenizerVocabulary(metadata: file.metadata).makeTokenizer(),
                     rocket: try encode("rocket.jpg"), chelsea: try encode("chelsea.png"))
    }

    static func length(_ parts: [PromptPart]) -> Int { parts.reduce(0) { $0 + $1.count } }

    @Test func oneTurnIsTheReferenceFirstTurn() throws {
        let s = try Self.setup.get()
        let question = "What is in this picture? Describe it in detail."
        let parts = XComposerImagePrompt.fitted([.user(question)], imagesPerTurn: [[s.rocket]],
                                                tokenizer: s.tokenizer, contextLength: 2048, reserve: 64)
        #expect(parts == XComposerImagePrompt.firstTurn(question: question, image: s.rocket, tokenizer: s.tokenizer))
        #expect(parts?.filter { if case .embeddings = $0 { return true } else { return false } }.count == 1)
    }

    @Test func eachTurnKeepsItsImageBeforeItsText() throws {
        let s = try Self.setup.get()
        let messages: [ChatMessage] = [.user("What is this?"), .assistant("A rocket."), .user("And this one?")]
        let parts = try #require(XComposerImagePrompt.fitted(messages, imagesPerTurn: [[s.rocket], [s.chelsea]],
                                                             tokenizer: s.tokenizer, contextLength: 2048, reserve: 64))
        #expect(parts == XComposerImagePrompt.conversation(messages, images: [s.rocket, s.chelsea], tokenizer: s.tokenizer))
        // The rocket right before the first question, the cat right before the second.
        let plain = { (text: String) in PromptPart.tokens(s.tokenizer.encode(text, addSpecial: false, parseSpecial: false)) }
        let rocketAt = try #require(parts.firstIndex(of: .embeddings(values: s.rocket.values, count: s.rocket.count)))
        let chelseaAt = try #require(parts.firstIndex(of: .embeddings(values: s.chelsea.values, count: s.chelsea.count)))
        #expect(parts[rocketAt + 1] == plain("What is this?"))
        #expect(parts[chelseaAt + 1] == plain("And this one?"))
        #expect(rocketAt < chelseaAt)
        #expect(Self.length(parts) > 2 * s.rocket.count)
    }

    @Test func imagesSentWithoutTextGoBeforeTheNextQuestion() throws {
        let s = try Self.setup.get()
        let parts = XComposerImagePrompt.fitted([.user(""), .user("Which is bigger?")],
                                                imagesPerTurn: [[s.rocket], [s.chelsea]],
                                                tokenizer: s.tokenizer, contextLength: 2048, reserve: 64)
        #expect(parts == XComposerImagePrompt.conversation([.user("Which is bigger?")],
                                                           imagesPerTurn: [[s.rocket, s.chelsea]], tokenizer: s.tokenizer))
    }

    @Test func theOldestExchangeGoesFirstWhenTheContextIsShort() throws {
        let s = try Self.setup.get()
        let messages: [ChatMessage] = [.system("Be brief."), .user("What is this?"), .assistant("A rocket."),
                                       .user("And this one?")]
        let lastOnly: [ChatMessage] = [.system("Be brief."), .user("And this one?")]
        let short = XComposerImagePrompt.conversation(lastOnly, imagesPerTurn: [[s.chelsea]], tokenizer: s.tokenizer)
        let whole = XComposerImagePrompt.conversation(messages, imagesPerTurn: [[s.rocket], [s.chelsea]],
                                                      tokenizer: s.tokenizer)
        let reserve = 16
        // Room for the last turn but not for the whole conversation.
        let context = Self.length(short) + reserve
        #expect(Self.length(whole) + reserve > context)
        let fitted = XComposerImagePrompt.fitted(messages, imagesPerTurn: [[s.rocket], [s.chelsea]],
                                                 tokenizer: s.tokenizer, contextLength: context, reserve: reserve)
        #expect(fitted == short)
        #expect(XComposerImagePrompt.fitted(messages, imagesPerTurn: [[s.rocket], [s.chelsea]], tokenizer: s.tokenizer,
                                            contextLength: context - 1, reserve: reserve) == nil)
    }

    /// The decoder of the same file takes the chat prompt and answers (random weights: only that
    /// it runs and the logits are finite).
    @Test func theTinyModelReadsTheChatPrompt() throws {
        let s = try Self.setup.get()
        let model = try LlamaModel(file: try TinyCheckpoint.file(), contextLength: 1024, pool: Self.pool)
        let parts = try #require(XComposerImagePrompt.fitted(
            [.user("What is this?"), .assistant("A rocket."), .user("And this one?")],
            imagesPerTurn: [[s.rocket], [s.chelsea]], tokenizer: s.tokenizer, contextLength: 1024, reserve: 64))
        let logits = try model.prefill(parts: parts, slot: 0, position: 0, shouldCancel: { false })
        #expect(logits.count == model.vocabularySize)
        let finite = logits.allSatisfy { $0.isFinite }
        #expect(finite)
    }
}
