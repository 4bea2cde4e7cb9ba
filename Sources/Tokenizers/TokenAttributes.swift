/// What the tokenizer knows about one token, after llama.cpp's corrections to the file's types.
///
/// Files mark types imperfectly, so llama.cpp patches them by text when loading: `<|im_end|>`
/// and friends become control tokens even when typed normal, control tokens named "unused" are
/// flagged unused, and so on. The attributes here are the patched ones, because they decide
/// which texts are matched whole and which tokens decode to nothing.
struct TokenAttributes: OptionSet, Sendable {
    let rawValue: UInt8

    static let unknown = TokenAttributes(rawValue: 1 << 0)
    static let unused = TokenAttributes(rawValue: 1 << 1)
    static let normal = TokenAttributes(rawValue: 1 << 2)
    static let control = TokenAttributes(rawValue: 1 << 3)
    static let userDefined = TokenAttributes(rawValue: 1 << 4)
    static let byte = TokenAttributes(rawValue: 1 << 5)

    /// Attributes for a file type (undefined types get none, as in llama.cpp).
    init(_ type: TokenizerVocabulary.TokenType) {
        switch type {
        case .undefined: self = []
        case .normal: self = .normal
        case .unknown: self = .unknown
        case .control: self = .control
        case .userDefined: self = .userDefined
        case .unused: self = .unused
        case .byte: self = .byte
        }
    }

    init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Matched whole inside text before any splitting (when `parseSpecial` allows).
    var isSpecial: Bool { !intersection([.control, .userDefined, .unknown]).isEmpty }
    /// Decoded to nothing unless special tokens are rendered.
    var isHiddenWhenNotRendering: Bool { !intersection([.control, .unknown]).isEmpty }
}

/// llama.cpp's lists of token texts with a known role (llama-vocab.cpp, `load`).
enum KnownTokenTexts {
    /// Texts that name an end-of-turn token when the file names none.
    static let endOfTurn = [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>",
        "<EOT>", "_<EOT>", "<｜end▁of▁sentence｜>", "<end_of_utterance>",
    ]
    /// Fill-in-the-middle markers; they become control tokens, and the pad, repo and file
    /// separator ones end generation.
    static let fillInMiddle = [
        "<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<｜fim▁begin｜>", "<PRE>", "▁<PRE>",
        "<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<｜fim▁hole｜>", "<SUF>", "▁<SUF>",
        "<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<｜fim▁end｜>", "<MID>", "▁<MID>",
    ]
    static let fillInMiddleEndingGeneration = [
        "<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>",
        "<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>",
        "<|file_sep|>",
    ]
    /// Texts whose tokens end generation.
    static let endOfGeneration: Set<String> = [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<end_of_turn>",
        "<|endoftext|>", "<|eom_id|>", "<EOT>", "_<EOT>", "<|end_of_text|>", "<end_of_utterance>",
        "<｜end▁of▁sentence｜>",
    ]
    /// gpt-oss markers llama.cpp always renders (typed user-defined).
    static let alwaysRendered: Set<String> = ["<|channel|>", "<|message|>", "<|start|>", "<|constrain|>"]
}
