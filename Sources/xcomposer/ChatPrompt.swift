import ModelFiles
import Tokenizers

/// Renders a conversation through a chat template into prompt tokens.
enum ChatPrompt {
    /// The template's segments, tokenised one by one. Only the template's own text may contain
    /// special tokens; what people wrote is encoded as plain text, so "<|im_end|>" typed in a
    /// message cannot end the turn.
    static func encode(_ messages: [ChatMessage], template: ChatTemplate, tokenizer: VocabularyTokenizer,
                       metadata: GGUFMetadata) -> [Int32] {
        let defaultSystem = metadata.string("tokenizer.chat_template").flatMap(ChatTemplate.defaultSystemPrompt(fromJinja:))
            ?? template.defaultSystemPrompt
        var tokens: [Int32] = []
        for segment in template.segments(messages: messages, addGenerationPrompt: true,
                                         defaultSystemPrompt: defaultSystem) {
            tokens += tokenizer.encode(segment.text, addSpecial: segment.addSpecial,
                                       parseSpecial: segment.role == .template)
        }
        return tokens
    }

    /// The conversation's prompt, dropping the oldest turns (never the system prompt or the last
    /// question) until it leaves `reserve` positions of `contextLength` for the reply.
    static func fitted(_ messages: [ChatMessage], template: ChatTemplate, tokenizer: VocabularyTokenizer,
                       metadata: GGUFMetadata, contextLength: Int, reserve: Int) -> (tokens: [Int32], droppedMessages: Int) {
        var kept = messages
        var dropped = 0
        var tokens = encode(kept, template: template, tokenizer: tokenizer, metadata: metadata)
        while tokens.count > contextLength - reserve {
            guard let oldest = kept.firstIndex(where: { $0.role != .system }), oldest < kept.count - 1 else { break }
            kept.remove(at: oldest)
            dropped += 1
            tokens = encode(kept, template: template, tokenizer: tokenizer, metadata: metadata)
        }
        return (tokens, dropped)
    }
}
