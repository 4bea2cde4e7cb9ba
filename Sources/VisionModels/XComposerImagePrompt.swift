import LanguageModels
import Tokenizers

/// XComposer's first-turn prompt with an image (spec §4.2, `chat()` with `history=None`): the
/// template's segments tokenised one by one, as the reference does, with the image's vectors
/// spliced in right before the user's text:
/// `BOS + meta + ' <|User|>:'`, the image, the question, `'\n<TOKENS_UNUSED_0> <|Bot|>:'`.
public enum XComposerImagePrompt {
    /// - Parameter system: replaces the reference meta instruction when given.
    public static func firstTurn(question: String, image: ImageEmbedding, tokenizer: any TextTokenizer,
                                 system: String? = nil) -> [PromptPart] {
        let template = ChatTemplate.internLMXComposer
        var messages: [ChatMessage] = []
        if let system { messages.append(.system(system)) }
        messages.append(.user(question))
        let segments = template.segments(messages: messages, addGenerationPrompt: true,
                                         defaultSystemPrompt: template.defaultSystemPrompt)
        var parts: [PromptPart] = []
        let userIndex = segments.lastIndex { $0.role == .user }
        for (index, segment) in segments.enumerated() {
            if index == userIndex {
                parts.append(.embeddings(values: image.values, count: image.count))
            }
            // Only the template's own text may contain special pieces; the question is plain text.
            let ids = tokenizer.encode(segment.text, addSpecial: segment.addSpecial,
                                       parseSpecial: segment.role == .template)
            if !ids.isEmpty { parts.append(.tokens(ids)) }
        }
        return parts
    }
}
