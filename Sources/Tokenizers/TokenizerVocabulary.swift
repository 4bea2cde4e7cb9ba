/// A tokenizer's vocabulary and settings as a model file states them: pure data, no algorithm.
///
/// It is read from GGUF metadata (`init(metadata:)`, the `tokenizer.ggml.*` keys) or built by
/// hand in tests, and `makeTokenizer()` turns it into a working tokenizer. Keeping the data
/// apart from the algorithms means one vocabulary can be inspected, edited (a chat template
/// override, a forced BOS) and only then compiled into lookup tables.
public struct TokenizerVocabulary: Sendable, Equatable {
    /// The tokenization algorithm (`tokenizer.ggml.model`).
    public enum Model: String, Sendable, Equatable {
        /// Byte-level BPE (GPT-2, Llama 3, SmolLM): text is split by a pre-tokenizer regex,
        /// bytes are mapped to printable characters, and merges are applied by rank.
        case gpt2
        /// SentencePiece BPE (Llama 1/2, InternLM): spaces become `▁`, pieces merge by score,
        /// and characters missing from the vocabulary fall back to `<0xXX>` byte tokens.
        case llama
    }

    /// What a token is (`tokenizer.ggml.token_type`, llama.cpp's numbering).
    public enum TokenType: Int, Sendable, Equatable {
        case undefined = 0
        /// Ordinary text.
        case normal = 1
        /// The unknown-piece token (`<unk>`).
        case unknown = 2
        /// A control token (`<s>`, `<|im_end|>`): matched in text only when parsing specials,
        /// and decoded to nothing unless asked.
        case control = 3
        /// A token added by the model's authors: always matched whole in text.
        case userDefined = 4
        case unused = 5
        /// A byte-fallback token (`<0x0A>`).
        case byte = 6
    }

    /// The algorithm.
    public var model: Model
    /// The pre-tokenizer name (`tokenizer.ggml.pre`) for byte-level BPE; nil when absent.
    public var preTokenizerName: String?
    /// Token texts by id, as stored (byte-level characters for `gpt2`, `▁` for spaces in `llama`).
    public var tokens: [String]
    /// Scores by id (SentencePiece merges the pair whose merged piece scores highest); empty
    /// means all zero.
    public var scores: [Float]
    /// Types by id; empty means all normal.
    public var tokenTypes: [TokenType]
    /// BPE merges in rank order, each "left right" (byte-level BPE only).
    public var merges: [String]
    /// Beginning of sequence.
    public var bosToken: Int32?
    /// End of sequence.
    public var eosToken: Int32?
    /// Unknown piece.
    public var unknownToken: Int32?
    /// Padding.
    public var paddingToken: Int32?
    /// End of turn, when the file names one (otherwise the tokenizer looks for a known text).
    public var endOfTurnToken: Int32?
    /// End of message (`<|eom_id|>`), when the file names one.
    public var endOfMessageToken: Int32?
    /// Whether encoding with special tokens prepends BOS.
    public var addBOS: Bool
    /// Whether encoding with special tokens appends EOS.
    public var addEOS: Bool
    /// Whether SentencePiece text gets a leading space (Llama's dummy prefix; InternLM has none).
    public var addSpacePrefix: Bool
    /// The Jinja chat template stored with the model (`tokenizer.chat_template`), if any.
    public var chatTemplate: String?
    /// Things in the file that were tolerated but look wrong (a special id out of range, …).
    public var warnings: [String]

    /// A vocabulary given in full.
    public init(
        model: Model,
        tokens: [String],
        scores: [Float] = [],
        tokenTypes: [TokenType] = [],
        merges: [String] = [],
        preTokenizerName: String? = nil,
        bosToken: Int32? = nil,
        eosToken: Int32? = nil,
        unknownToken: Int32? = nil,
        paddingToken: Int32? = nil,
        endOfTurnToken: Int32? = nil,
        endOfMessageToken: Int32? = nil,
        addBOS: Bool = false,
        addEOS: Bool = false,
        addSpacePrefix: Bool = false,
        chatTemplate: String? = nil,
        warnings: [String] = []
    ) {
        self.model = model
        self.tokens = tokens
        self.scores = scores
        self.tokenTypes = tokenTypes
        self.merges = merges
        self.preTokenizerName = preTokenizerName
        self.bosToken = bosToken
        self.eosToken = eosToken
        self.unknownToken = unknownToken
        self.paddingToken = paddingToken
        self.endOfTurnToken = endOfTurnToken
        self.endOfMessageToken = endOfMessageToken
        self.addBOS = addBOS
        self.addEOS = addEOS
        self.addSpacePrefix = addSpacePrefix
        self.chatTemplate = chatTemplate
        self.warnings = warnings
    }

    /// The type of token `id` (normal when the vocabulary lists no types).
    public func type(of id: Int) -> TokenType {
        id < tokenTypes.count ? tokenTypes[id] : .normal
    }

    /// The score of token `id` (zero when the vocabulary lists no scores).
    public func score(of id: Int) -> Float {
        id < scores.count ? scores[id] : 0
    }
}
