extension ChatTemplate {
    /// The prompt text for `messages`, using the template's default system prompt when the
    /// conversation has none.
    ///
    /// BOS is never written as text: the tokenizer adds it (encode with `addSpecial: true`,
    /// `parseSpecial: true`). For XComposer this is the concatenation of `segments(…)`
    /// without their BOS marks; tokenize the segments instead to match the reference.
    /// - Parameter addGenerationPrompt: end with the opening of the assistant's turn, so the
    ///   model continues as the assistant.
    public func render(messages: [ChatMessage], addGenerationPrompt: Bool) -> String {
        render(messages: messages, addGenerationPrompt: addGenerationPrompt, defaultSystemPrompt: defaultSystemPrompt)
    }

    /// The prompt text, with `defaultSystemPrompt` (nil for none) standing in when the
    /// conversation has no system message.
    public func render(messages: [ChatMessage], addGenerationPrompt: Bool, defaultSystemPrompt: String?) -> String {
        switch self {
        case .chatml:
            return Self.chatML(messages, addGenerationPrompt, defaultSystemPrompt)
        case .llama2:
            return Self.llama2(messages, defaultSystemPrompt)
        case .llama3:
            return Self.llama3(messages, addGenerationPrompt, defaultSystemPrompt)
        case .internLMXComposer:
            return XComposerPrompt.segments(messages, addGenerationPrompt, defaultSystemPrompt)
                .map(\.text).joined()
        }
    }

    /// The prompt as segments to tokenize one by one (see `PromptSegment`): one segment for
    /// ChatML and the Llamas, XComposer's parts for XComposer.
    public func segments(messages: [ChatMessage], addGenerationPrompt: Bool) -> [PromptSegment] {
        segments(messages: messages, addGenerationPrompt: addGenerationPrompt, defaultSystemPrompt: defaultSystemPrompt)
    }

    /// The prompt as segments, with an explicit default system prompt.
    public func segments(messages: [ChatMessage], addGenerationPrompt: Bool,
                         defaultSystemPrompt: String?) -> [PromptSegment] {
        if self == .internLMXComposer {
            return XComposerPrompt.segments(messages, addGenerationPrompt, defaultSystemPrompt)
        }
        let text = render(messages: messages, addGenerationPrompt: addGenerationPrompt,
                          defaultSystemPrompt: defaultSystemPrompt)
        return [PromptSegment(text: text, addSpecial: true, role: .template)]
    }

    // MARK: - Formats

    /// SmolLM2's template: a default system turn is written only before a first message that is
    /// not a system message; contents are not trimmed.
    private static func chatML(_ messages: [ChatMessage], _ generation: Bool, _ system: String?) -> String {
        var text = ""
        if let first = messages.first, first.role != .system, let system {
            text += "<|im_start|>system\n\(system)<|im_end|>\n"
        }
        for message in messages {
            text += "<|im_start|>\(message.role.rawValue)\n\(message.content)<|im_end|>\n"
        }
        if generation { text += "<|im_start|>assistant\n" }
        return text
    }

    /// Meta's Llama 2 template: only a first system message counts and joins the first turn;
    /// user and assistant contents are stripped; every user turn after the first starts with
    /// `<s>` (the first one's BOS comes from the tokenizer). There is no generation prompt:
    /// the text already ends with `[/INST]`.
    private static func llama2(_ messages: [ChatMessage], _ defaultSystem: String?) -> String {
        var loop = messages[...]
        var system = defaultSystem
        if let first = messages.first, first.role == .system {
            system = first.content
            loop = messages.dropFirst()
        }
        var text = ""
        for (position, message) in loop.enumerated() {
            var content = message.content
            if position == 0, let system {
                content = "<<SYS>>\n\(system)\n<</SYS>>\n\n" + content
            }
            switch message.role {
            case .user:
                text += (position == 0 ? "" : "<s>") + "[INST] \(content.strippingPythonWhitespace()) [/INST]"
            case .assistant:
                text += " \(content.strippingPythonWhitespace()) </s>"
            case .system:
                continue  // the reference template writes later system messages nowhere
            }
        }
        return text
    }

    /// Meta's Llama 3 template without the leading `<|begin_of_text|>` (the tokenizer's BOS):
    /// contents are stripped.
    private static func llama3(_ messages: [ChatMessage], _ generation: Bool, _ system: String?) -> String {
        var text = ""
        if let system, messages.first?.role != .system {
            text += "<|start_header_id|>system<|end_header_id|>\n\n\(system.strippingPythonWhitespace())<|eot_id|>"
        }
        for message in messages {
            text += "<|start_header_id|>\(message.role.rawValue)<|end_header_id|>\n\n"
                + "\(message.content.strippingPythonWhitespace())<|eot_id|>"
        }
        if generation { text += "<|start_header_id|>assistant<|end_header_id|>\n\n" }
        return text
    }
}
