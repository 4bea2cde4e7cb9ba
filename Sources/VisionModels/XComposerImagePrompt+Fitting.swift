import LanguageModels
import Tokenizers

extension XComposerImagePrompt {
    /// The chat screen's prompt: the conversation with its images, cut to leave `reserve`
    /// positions of `contextLength` for the answer.
    ///
    /// A user message with no text (images sent on their own) is merged into the next user
    /// message, so its images go before that question as `chat()` would have them. When the
    /// whole conversation is too long, the oldest exchanges (a user turn with its images and the
    /// reply after it) are dropped first; the system prompt and the last turn always stay.
    /// - Returns: nil when even the last turn alone does not fit.
    public static func fitted(_ messages: [ChatMessage], imagesPerTurn: [[ImageEmbedding]],
                              tokenizer: any TextTokenizer, contextLength: Int, reserve: Int) -> [PromptPart]? {
        var (system, turns) = exchanges(messages, imagesPerTurn: imagesPerTurn)
        let budget = contextLength - max(0, reserve)
        while !turns.isEmpty {
            let kept = system + turns.flatMap(\.messages)
            let parts = conversation(kept, imagesPerTurn: turns.map(\.images), tokenizer: tokenizer)
            if parts.reduce(0, { $0 + $1.count }) <= budget { return parts }
            turns.removeFirst()
        }
        return nil
    }

    /// One user turn and the reply that followed it, if any.
    private struct Exchange {
        var messages: [ChatMessage]
        var images: [ImageEmbedding]
    }

    private static func exchanges(_ messages: [ChatMessage], imagesPerTurn: [[ImageEmbedding]])
        -> (system: [ChatMessage], turns: [Exchange]) {
        var system: [ChatMessage] = []
        var turns: [Exchange] = []
        var carried: [ImageEmbedding] = []
        var userIndex = 0
        for (index, message) in messages.enumerated() {
            switch message.role {
            case .system:
                system.append(message)
            case .user:
                let images = carried + (userIndex < imagesPerTurn.count ? imagesPerTurn[userIndex] : [])
                userIndex += 1
                let next = messages.dropFirst(index + 1).first
                if message.content.isEmpty, next?.role == .user {
                    carried = images
                    continue
                }
                carried = []
                turns.append(Exchange(messages: [message], images: images))
            case .assistant:
                // A reply with no question before it would shift the images onto other turns.
                guard let last = turns.last, last.messages.count == 1 else { continue }
                turns[turns.count - 1].messages.append(message)
            }
        }
        return (system, turns)
    }
}
