import Engine

/// One piece of an XComposer prompt: text to tokenise, or the place where an image's embeddings go.
public enum PromptPart: Sendable, Equatable {
    /// Text, tokenised on its own (BPE never merges across parts).
    case text(String)
    /// The embeddings of image number `index` in the list the prompt's builder documents.
    case image(Int)
}

/// One XComposer model call: the interleaved input, how it is embedded and how it is decoded.
///
/// Steps 1–3 of the web demo tokenise their single text with BOS (`add_special_tokens=True`);
/// step 5 tokenises every text part without BOS, interleaves the image blocks, truncates to
/// `maxEmbeddings`, then prepends the BOS embedding and drops the last `dropLastEmbeddings`.
/// Both shapes start with exactly one BOS, so `startsWithBOS` is true for every step; the
/// difference is recorded in `textPartsHaveBOS` (always false: only the start gets a BOS).
public struct ComposerPrompt: Sendable, Equatable {
    /// The input, in order.
    public var parts: [PromptPart]
    /// Whether one BOS token/embedding starts the input (true for every step of the pipeline).
    public var startsWithBOS: Bool
    /// Whether each text part is tokenised with its own BOS (false for every step).
    public var textPartsHaveBOS: Bool
    /// Most embeddings kept after interleaving and before BOS is prepended (`max_txt_len`); nil: no limit.
    public var maxEmbeddings: Int?
    /// How many embeddings are dropped from the end after BOS is prepended (2 in step 5: eoa and `</s>`).
    public var dropLastEmbeddings: Int
    /// What the reply is assumed to continue (the bot prefix at the end of the prompt).
    public var botPrefix: String
    /// How to decode.
    public var parameters: GenerationParameters

    public init(parts: [PromptPart], startsWithBOS: Bool = true, textPartsHaveBOS: Bool = false,
                maxEmbeddings: Int? = nil, dropLastEmbeddings: Int = 0, botPrefix: String,
                parameters: GenerationParameters) {
        self.parts = parts
        self.startsWithBOS = startsWithBOS
        self.textPartsHaveBOS = textPartsHaveBOS
        self.maxEmbeddings = maxEmbeddings
        self.dropLastEmbeddings = dropLastEmbeddings
        self.botPrefix = botPrefix
        self.parameters = parameters
    }

    /// The prompt as the original code's string, with `<ImageHere>` where images go.
    public var text: String {
        parts.map { part in
            switch part {
            case .text(let string): string
            case .image: ComposePrompts.imagePlaceholder
            }
        }.joined()
    }

    /// How many image parts the prompt has.
    public var imageCount: Int {
        parts.reduce(0) { count, part in
            if case .image = part { return count + 1 }
            return count
        }
    }
}

/// Chat messages for an instruction-tuned model; the caller applies its chat template.
public struct ChatMessages: Sendable, Equatable {
    /// The system message, if the step has one.
    public var system: String?
    /// The user message.
    public var user: String

    public init(system: String?, user: String) {
        self.system = system
        self.user = user
    }
}

/// One instruct-model call: messages and decoding parameters.
public struct InstructPrompt: Sendable, Equatable {
    public var messages: ChatMessages
    public var parameters: GenerationParameters

    public init(messages: ChatMessages, parameters: GenerationParameters) {
        self.messages = messages
        self.parameters = parameters
    }
}

/// A step's prompt in the shape its model family needs.
public enum StepPrompt: Sendable, Equatable {
    case xcomposer(ComposerPrompt)
    case instruct(InstructPrompt)

    /// The decoding parameters, whichever the family.
    public var parameters: GenerationParameters {
        switch self {
        case .xcomposer(let prompt): prompt.parameters
        case .instruct(let prompt): prompt.parameters
        }
    }
}
