import LanguageModels
import Testing
import Tokenizers
import VisionModels

/// `<ImageHere>` prompts with several images (the selection step's shape): pieces tokenised
/// separately without BOS, images in order, BOS in front, the length cap cutting anywhere.
@Suite struct InterleavedPromptAssemblyTests {
    static let tokenizer: Result<VocabularyTokenizer, Error> = Result {
        try SentencePieceModelFile(contentsOf: TinyCheckpoint.root.appendingPathComponent("tokenizer.model").path)
            .makeTokenizer()
    }

    /// Two recognisable blocks of 66 rows of width 4.
    static let images = (0..<2).map { image in
        ImageEmbedding(count: 66, width: 4, values: (0..<(66 * 4)).map { Float(image * 1000 + $0) })
    }

    @Test func piecesAndImagesInterleave() throws {
        let tokenizer = try Self.tokenizer.get()
        let text = " <|User|>:Context<Img><ImageHere></Img>\nA.<ImageHere>\n<TOKENS_UNUSED_0> <|Bot|>:"
        let parts = try XComposerInterleavedPrompt.parts(text: text, images: Self.images, tokenizer: tokenizer)
        let encode = { (piece: String) in tokenizer.encode(piece, addSpecial: false, parseSpecial: true) }
        let expected: [PromptPart] = [
            .tokens([1]), .tokens(encode(" <|User|>:Context")),
            .embeddings(values: Self.images[0].values, count: 66), .tokens(encode("\nA.")),
            .embeddings(values: Self.images[1].values, count: 66),
            .tokens(encode("\n<TOKENS_UNUSED_0> <|Bot|>:")),
        ]
        #expect(parts == expected)
        // eoh is one piece, matched atomically inside the text.
        #expect(encode("\n<TOKENS_UNUSED_0> <|Bot|>:").contains(1184))
    }

    @Test func lengthCapCutsInsideAnImage() throws {
        let tokenizer = try Self.tokenizer.get()
        let head = tokenizer.encode("Look:", addSpecial: false, parseSpecial: true)
        let parts = try XComposerInterleavedPrompt.parts(text: "Look:<ImageHere><ImageHere> tail", images: Self.images,
                                                         tokenizer: tokenizer, maximumLength: head.count + 100)
        #expect(parts.count == 4)
        #expect(parts.reduce(0) { $0 + $1.count } == 1 + head.count + 100)
        #expect(parts.last == .embeddings(values: Array(Self.images[1].values[..<(34 * 4)]), count: 34))
    }

    @Test func placeholderCountMustMatch() throws {
        let tokenizer = try Self.tokenizer.get()
        #expect(throws: XComposerInterleavedPrompt.Failure.imageCount(placeholders: 1, images: 2)) {
            try XComposerInterleavedPrompt.parts(text: "one <ImageHere>", images: Self.images, tokenizer: tokenizer)
        }
    }
}

/// A later turn of a chat about a photo: the history keeps the image before the first question,
/// in the shape `chat()` stores it, and the new question has no meta and no BOS.
@Suite struct ChatHistoryPromptTests {
    @Test func imageStaysWithItsTurnInTheHistory() throws {
        let tokenizer = try InterleavedPromptAssemblyTests.tokenizer.get()
        let image = InterleavedPromptAssemblyTests.images[0]
        let parts = XComposerImagePrompt.conversation(
            [.user("What is this?"), .assistant("A rocket."), .user("What colour is it?")],
            images: [image, nil], tokenizer: tokenizer)
        let plain = { (text: String, bos: Bool) in tokenizer.encode(text, addSpecial: bos, parseSpecial: false) }
        let template = { (text: String, bos: Bool) in tokenizer.encode(text, addSpecial: bos, parseSpecial: true) }
        let expected: [PromptPart] = [
            .tokens(template(" <|User|>:", true)), .embeddings(values: image.values, count: image.count),
            .tokens(plain("What is this?", false)), .tokens(template(" <|Bot|>:", false)),
            .tokens(plain("A rocket.", true)),
            .tokens(template(" <|User|>:", false)), .tokens(plain("What colour is it?", false)),
            .tokens(template("\n<TOKENS_UNUSED_0> <|Bot|>:", false)),
        ]
        #expect(parts == expected)
    }
}
