import LanguageModels
import Tokenizers

/// XComposer's chat prompt with images (spec §4.2, `chat()`): the template's segments tokenised
/// one by one, as the reference does, with an image's vectors spliced in right before the
/// text of the turn it belongs to. The first turn is
/// `BOS + meta + ' <|User|>:'`, the image, the question, `'\n<TOKENS_UNUSED_0> <|Bot|>:'`;
/// earlier turns keep the shape `chat()` stores in its history (`BOS ' <|User|>:'`, image,
/// text, `' <|Bot|>:'`, `BOS` answer), which `ChatTemplate.internLMXComposer` renders.
public enum XComposerImagePrompt {
    /// The first turn about one image.
    /// - Parameter system: replaces the reference meta instruction when given.
    public static func firstTurn(question: String, image: ImageEmbedding, tokenizer: any TextTokenizer,
                                 system: String? = nil) -> [PromptPart] {
        var messages: [ChatMessage] = []
        if let system { messages.append(.system(system)) }
        messages.append(.user(question))
        return conversation(messages, images: [image], tokenizer: tokenizer)
    }

    /// A whole conversation ending with the user's turn to be answered.
    /// - Parameter images: `images[k]` goes before the user text of the k-th turn (nil or past
    ///   the end: a turn without an image). The reference takes at most one image per turn.
    public static func conversation(_ messages: [ChatMessage], images: [ImageEmbedding?],
                                    tokenizer: any TextTokenizer) -> [PromptPart] {
        conversation(messages, imagesPerTurn: images.map { $0.map { [$0] } ?? [] }, tokenizer: tokenizer)
    }

    /// A whole conversation whose user turns may each carry several images (the chat screen
    /// lets one attach more than one): `imagesPerTurn[k]` go, in order, before the text of the
    /// k-th user turn.
    public static func conversation(_ messages: [ChatMessage], imagesPerTurn: [[ImageEmbedding]],
                                    tokenizer: any TextTokenizer) -> [PromptPart] {
        let template = ChatTemplate.internLMXComposer
        let segments = template.segments(messages: messages, addGenerationPrompt: true,
                                         defaultSystemPrompt: template.defaultSystemPrompt)
        var parts: [PromptPart] = []
        var turn = 0
        for segment in segments {
            if segment.role == .user {
                if turn < imagesPerTurn.count {
                    for image in imagesPerTurn[turn] {
                        parts.append(.embeddings(values: image.values, count: image.count))
                    }
                }
                turn += 1
            }
            // Only the template's own text may contain special pieces; people's words are plain text.
            let ids = tokenizer.encode(segment.text, addSpecial: segment.addSpecial,
                                       parseSpecial: segment.role == .template)
            if !ids.isEmpty { parts.append(.tokens(ids)) }
        }
        return parts
    }
}
