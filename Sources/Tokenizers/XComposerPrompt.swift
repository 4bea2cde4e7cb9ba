/// InternLM-XComposer v1's prompt assembly (`wrap_prompt` and `chat` in its model code),
/// reproduced part for part. See docs/xcomposer-v1-spec.md §4.2.
///
/// First turn: `BOS + meta + ' <|User|>:'`, the user's text, `'\n<TOKENS_UNUSED_0> <|Bot|>:'`,
/// each tokenized separately (the image goes right before the user's text). Earlier turns
/// are written the way `chat()` stores its history, quirks included: `BOS + ' <|User|>:'`, the
/// text, `' <|Bot|>:'`, `BOS + answer`, with no end markers, no newline and no meta
/// instruction; a later turn's first part is `' <|User|>:'` without meta or BOS. So the meta
/// instruction (or a system message standing in for it) only reaches the model on the first
/// turn, exactly as in the reference.
enum XComposerPrompt {
    /// The reference `meta_instruction` (it ends with a newline).
    static let metaInstruction = """
        meta instruction
        You are an AI assistant whose name is 浦语.
        - 浦语 is a conversational language model that is developed by Shanghai AI Laboratory (上海人工智能实验室). It is designed to be helpful, honest, and harmless.
        - 浦语 can understand and communicate fluently in the language chosen by the user such as English and 中文.
        conversation

        """

    static let userMarker = " <|User|>:"
    static let botMarker = " <|Bot|>:"
    static let endOfHuman = "<TOKENS_UNUSED_0>"

    static func segments(_ messages: [ChatMessage], _ generation: Bool, _ defaultSystem: String?) -> [PromptSegment] {
        var system = defaultSystem ?? ""
        var conversation = messages[...]
        if let first = messages.first, first.role == .system {
            system = first.content
            conversation = messages.dropFirst()
        }
        // Pair each user message with the assistant answer that follows it, if any.
        var turns: [(user: String, answer: String?)] = []
        for message in conversation {
            switch message.role {
            case .user:
                turns.append((message.content, nil))
            case .assistant:
                if let last = turns.last, last.answer == nil {
                    turns[turns.count - 1].answer = message.content
                } else {
                    turns.append(("", message.content))  // an answer with no question
                }
            case .system:
                continue  // the reference has one instruction, set before the conversation
            }
        }

        var segments: [PromptSegment] = []
        for (position, turn) in turns.enumerated() {
            let isFirst = position == 0
            if let answer = turn.answer {
                // A finished turn, as chat() keeps it in its history.
                segments.append(PromptSegment(text: userMarker, addSpecial: true, role: .template))
                segments.append(PromptSegment(text: turn.user, addSpecial: false, role: .user))
                segments.append(PromptSegment(text: botMarker, addSpecial: false, role: .template))
                segments.append(PromptSegment(text: answer, addSpecial: true, role: .assistant))
            } else {
                // The first turn's instruction and marker are one tokenization, with BOS.
                segments.append(isFirst
                    ? PromptSegment(text: system + userMarker, addSpecial: true, role: .template)
                    : PromptSegment(text: userMarker, addSpecial: false, role: .template))
                segments.append(PromptSegment(text: turn.user, addSpecial: false, role: .user))
                if generation {
                    segments.append(PromptSegment(text: "\n" + endOfHuman + botMarker, addSpecial: false, role: .template))
                }
            }
        }
        return segments
    }
}
