/// The prompt formats this app can render, without a Jinja engine.
///
/// A model file's Jinja template is recognised by its markers (`detect(fromJinja:)`) and
/// mapped to one of these, or the user names one (`init?(name:)`). Each renders messages to
/// exactly the text (or, for XComposer, the segments) the model was trained on.
public enum ChatTemplate: String, Sendable, CaseIterable {
    /// `<|im_start|>role\ncontent<|im_end|>\n`, as SmolLM2's template writes it (including its
    /// default system prompt when none is given).
    case chatml
    /// InternLM-XComposer v1: meta instruction, `' <|User|>:'`, the text,
    /// `'\n<TOKENS_UNUSED_0> <|Bot|>:'`.
    case internLMXComposer = "internlm-xcomposer"
    /// Llama 2 chat: `[INST] <<SYS>>\n…\n<</SYS>>\n\n… [/INST] answer </s><s>[INST] …`.
    case llama2
    /// Llama 3 instruct: `<|start_header_id|>role<|end_header_id|>\n\ncontent<|eot_id|>`.
    case llama3

    /// The template a Jinja chat template implements, recognised by its characteristic
    /// markers; nil when there is no template or it is none of these.
    public static func detect(fromJinja jinja: String?) -> ChatTemplate? {
        guard let jinja else { return nil }
        if jinja.contains("<|start_header_id|>") { return .llama3 }
        if jinja.contains("<|User|>") || jinja.contains("<|Bot|>") || jinja.contains("<TOKENS_UNUSED_0>") {
            return .internLMXComposer
        }
        if jinja.contains("<|im_start|>") { return .chatml }
        if jinja.contains("[INST]") { return .llama2 }
        return nil
    }

    /// The template called `name` (case and `-`/`_` ignored): `chatml`, `internlm-xcomposer`
    /// (also `xcomposer`, `internlm`), `llama2`, `llama3`.
    public init?(name: String) {
        let key = String(name.lowercased().filter { $0 != "-" && $0 != "_" && $0 != " " })
        switch key {
        case "chatml", "smollm", "smollm2": self = .chatml
        case "internlmxcomposer", "xcomposer", "internlm", "internlmxcomposerv1", "xcomposerv1": self = .internLMXComposer
        case "llama2", "llama2chat": self = .llama2
        case "llama3", "llama3instruct", "llama31": self = .llama3
        default: return nil
        }
    }

    /// Texts that mark the end of the model's turn when they appear in its output (the
    /// engine stops there; most are also end-of-generation tokens).
    public var stopStrings: [String] {
        switch self {
        case .chatml: return ["<|im_end|>", "<|im_start|>"]
        case .internLMXComposer: return ["<TOKENS_UNUSED_1>", "<TOKENS_UNUSED_0>", "<|User|>"]
        case .llama2: return ["</s>", "[INST]"]
        case .llama3: return ["<|eot_id|>", "<|start_header_id|>"]
        }
    }

    /// The system prompt used when the messages have none: SmolLM2's for ChatML, the meta
    /// instruction for XComposer, none for the Llamas.
    public var defaultSystemPrompt: String? {
        switch self {
        case .chatml: return "You are a helpful AI assistant named SmolLM, trained by Hugging Face"
        case .internLMXComposer: return XComposerPrompt.metaInstruction
        case .llama2, .llama3: return nil
        }
    }

    /// The default system prompt a ChatML Jinja template writes when the conversation has
    /// none (the literal text between `<|im_start|>system` and `<|im_end|>`), so a model's own
    /// default can replace SmolLM2's.
    public static func defaultSystemPrompt(fromJinja jinja: String) -> String? {
        let opening = "<|im_start|>system"
        var searchStart = jinja.startIndex
        while let open = jinja[searchStart...].firstRange(of: opening) {
            searchStart = open.upperBound
            var rest = jinja[open.upperBound...]
            if rest.hasPrefix("\n") {
                rest = rest.dropFirst()
            } else if rest.hasPrefix("\\n") {
                rest = rest.dropFirst(2)
            } else {
                continue
            }
            guard let close = rest.firstRange(of: "<|im_end|>") else { continue }
            let prompt = rest[..<close.lowerBound]
            // Only a literal counts: an expression (`+ message['content']`) is not a default.
            if prompt.contains("'") || prompt.contains("\"") || prompt.contains("{") || prompt.isEmpty { continue }
            return String(prompt).replacingEscapedNewlines()
        }
        return nil
    }
}

private extension String {
    func replacingEscapedNewlines() -> String {
        var result = ""
        var iterator = makeIterator()
        while let character = iterator.next() {
            if character == "\\" {
                if let next = iterator.next() {
                    result.append(next == "n" ? "\n" : next == "t" ? "\t" : next)
                } else {
                    result.append(character)
                }
            } else {
                result.append(character)
            }
        }
        return result
    }
}
